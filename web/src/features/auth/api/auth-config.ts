import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { authKeys } from './auth-keys';

export interface AuthConfig {
  registration: 'open' | 'invite' | 'closed';
  /** No account exists yet: the first one to register becomes the admin. */
  firstRun: boolean;
}

export const getAuthConfig = () => api<AuthConfig>('/api/auth/config');

export const authConfigQueryOptions = () =>
  queryOptions({ queryKey: authKeys.config(), queryFn: getAuthConfig });

export const useAuthConfig = () => useQuery(authConfigQueryOptions());

/** Whether "Create an account" leads anywhere: open registration, or the very first account. */
export const canSelfRegister = (config: AuthConfig | undefined) =>
  config !== undefined && (config.registration === 'open' || config.firstRun);
