import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { Appearance } from '../../../lib/search-events';
import { searchKeys } from './search-keys';

export const getAppearances = (searchId: string) =>
  api<{ items: Appearance[] }>(`/api/searches/${searchId}/appearances`);

export const appearancesQueryOptions = (searchId: string, poll = false) =>
  queryOptions({
    queryKey: searchKeys.appearances(searchId),
    queryFn: () => getAppearances(searchId),
    refetchInterval: poll ? 3_000 : false,
  });

export const useAppearances = (searchId: string, poll = false) =>
  useQuery(appearancesQueryOptions(searchId, poll));
