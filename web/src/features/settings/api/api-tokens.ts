import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ApiToken, CreatedApiToken } from '../../../../../src/contracts/auth.contract';
import { api } from '../../../lib/api-client';
import { useRefreshingMutation } from '../../../lib/react-query';
import { settingsKeys } from './settings-keys';

export type { ApiToken };

export const getApiTokens = () => api<{ items: ApiToken[] }>('/api/auth/tokens');
export const createApiToken = (input: { name: string; expiresInDays: number }) =>
  api<CreatedApiToken>('/api/auth/tokens', { method: 'POST', body: input });
export const revokeApiToken = (id: string) =>
  api<void>(`/api/auth/tokens/${id}`, { method: 'DELETE' });

export const apiTokensQueryOptions = () =>
  queryOptions({ queryKey: settingsKeys.tokens(), queryFn: getApiTokens });

export const useApiTokens = () => useQuery(apiTokensQueryOptions());

export const useCreateApiToken = () =>
  useRefreshingMutation(createApiToken, () => [settingsKeys.tokens()]);

export const useRevokeApiToken = () =>
  useRefreshingMutation(revokeApiToken, () => [settingsKeys.tokens()]);
