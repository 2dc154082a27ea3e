import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ActiveSession } from '../../../../../src/contracts/auth.contract';
import { api } from '../../../lib/api-client';
import { useRefreshingMutation } from '../../../lib/react-query';
import { settingsKeys } from './settings-keys';

export type { ActiveSession };

export const getSessions = () => api<{ items: ActiveSession[] }>('/api/auth/sessions');
export const endSession = (id: string) =>
  api<void>(`/api/auth/sessions/${id}`, { method: 'DELETE' });
export const logoutEverywhere = () => api<void>('/api/auth/logout-all', { method: 'POST' });

export const sessionsQueryOptions = () =>
  queryOptions({ queryKey: settingsKeys.sessions(), queryFn: getSessions });

export const useSessions = () => useQuery(sessionsQueryOptions());

export const useEndSession = () =>
  useRefreshingMutation(endSession, () => [settingsKeys.sessions()]);

/** Ends every session, this one too: the app then shows the sign-in page. */
export const useLogoutEverywhere = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logoutEverywhere,
    onSuccess: () => void queryClient.invalidateQueries(),
  });
};
