import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { isSearchSocketConnected, type SearchListItem } from '../../../lib/search-events';

export const getActiveSearches = () =>
  api<{ items: SearchListItem[] }>('/api/dashboard/active-searches');

export const activeSearchesQueryKey = ['dashboard', 'active-searches'] as const;

export const activeSearchesQueryOptions = () =>
  queryOptions({
    queryKey: activeSearchesQueryKey,
    queryFn: getActiveSearches,
    // Live events move the bars; polling only finds new searches, or stands in while offline.
    refetchInterval: () => (isSearchSocketConnected() ? 30_000 : 5_000),
  });

export const useActiveSearches = () => useQuery(activeSearchesQueryOptions());
