import { useMediaQuery } from '@mantine/hooks';

/** Narrower than Mantine's `sm` breakpoint (48em, 768 px): a phone held upright. */
const PHONE = '(max-width: 47.99em)';

/**
 * Whether the screen is a phone's, read at once (not after a first paint) so a layout chosen by it
 * does not jump.
 */
export const useIsPhone = () => useMediaQuery(PHONE, false, { getInitialValueInEffect: false });
