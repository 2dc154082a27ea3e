import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { authKeys } from './auth-keys';

export interface Availability {
  available: boolean;
  reason?: 'taken' | 'invalid';
  message?: string;
}

export interface AvailabilityResponse {
  username?: Availability;
  email?: Availability;
}

export type AvailabilityField = 'username' | 'email';

export const checkAvailability = (field: AvailabilityField, value: string) =>
  api<AvailabilityResponse>('/api/auth/availability', { query: { [field]: value } });

export const availabilityQueryOptions = (field: AvailabilityField, value: string) =>
  queryOptions({
    queryKey: authKeys.availability(field, value),
    queryFn: async () => (await checkAvailability(field, value))[field] ?? null,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });

/** Asks whether a username or e-mail is free; `value` should already be debounced. */
export const useAvailability = (field: AvailabilityField, value: string, enabled: boolean) =>
  useQuery({ ...availabilityQueryOptions(field, value), enabled: enabled && value.length > 0 });
