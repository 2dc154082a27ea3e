import type { AvailabilityField } from './check-availability';

/** Every query key of the sign-in and registration pages. */
export const authKeys = {
  all: ['auth'] as const,
  config: () => [...authKeys.all, 'config'] as const,
  invitation: (token: string) => [...authKeys.all, 'invitation', token] as const,
  availability: (field: AvailabilityField, value: string) =>
    [...authKeys.all, 'availability', field, value] as const,
};
