import { Center, Loader, VisuallyHidden } from '@mantine/core';

/** A spinner that screen readers announce as "Loading…" (or `label`). */
export function PageLoader({ label = 'Loading…' }: { label?: string }) {
  return (
    <Center mih={200} role="status" aria-live="polite">
      <Loader aria-hidden />
      <VisuallyHidden>{label}</VisuallyHidden>
    </Center>
  );
}
