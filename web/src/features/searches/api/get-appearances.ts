import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { Appearance } from '../../../lib/search-events';

export const getAppearances = (searchId: string) =>
  api<{ items: Appearance[] }>(`/api/searches/${searchId}/appearances`);

export const appearancesQueryKey = (searchId: string) =>
  ['searches', 'appearances', searchId] as const;

export const appearancesQueryOptions = (searchId: string, poll = false) =>
  queryOptions({
    queryKey: appearancesQueryKey(searchId),
    queryFn: () => getAppearances(searchId),
    refetchInterval: poll ? 3_000 : false,
  });

export const useAppearances = (searchId: string, poll = false) =>
  useQuery(appearancesQueryOptions(searchId, poll));
