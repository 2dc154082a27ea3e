import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export interface ApiToken {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

const tokensKey = ['auth', 'tokens'] as const;

export const getApiTokens = () => api<{ items: ApiToken[] }>('/api/auth/tokens');
export const createApiToken = (input: { name: string; expiresInDays: number }) =>
  api<ApiToken & { token: string }>('/api/auth/tokens', { method: 'POST', body: input });
export const revokeApiToken = (id: string) =>
  api<void>(`/api/auth/tokens/${id}`, { method: 'DELETE' });

export const apiTokensQueryOptions = () =>
  queryOptions({ queryKey: tokensKey, queryFn: getApiTokens });

export const useApiTokens = () => useQuery(apiTokensQueryOptions());

export const useCreateApiToken = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createApiToken,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: tokensKey }),
  });
};

export const useRevokeApiToken = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: revokeApiToken,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: tokensKey }),
  });
};
