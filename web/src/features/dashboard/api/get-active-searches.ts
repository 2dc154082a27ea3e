import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { isSearchSocketConnected, type SearchListItem } from '../../../lib/search-events';
import { dashboardKeys } from '../../../lib/dashboard-keys';

export const getActiveSearches = () =>
  api<{ items: SearchListItem[] }>('/api/dashboard/active-searches');

export const activeSearchesQueryOptions = () =>
  queryOptions({
    queryKey: dashboardKeys.activeSearches(),
    queryFn: getActiveSearches,
    // Live events move the bars; polling only finds new searches, or stands in while offline.
    refetchInterval: () => (isSearchSocketConnected() ? 30_000 : 5_000),
  });

export const useActiveSearches = () => useQuery(activeSearchesQueryOptions());
