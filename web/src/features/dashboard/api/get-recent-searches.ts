import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { SearchListItem } from '../../../lib/search-events';
import { dashboardKeys } from '../../../lib/dashboard-keys';

export const getRecentSearches = (limit: number) =>
  api<{ items: SearchListItem[] }>('/api/dashboard/recent-searches', { query: { limit } });

export const recentSearchesQueryOptions = (limit = 8) =>
  queryOptions({
    queryKey: dashboardKeys.recentSearches(limit),
    queryFn: () => getRecentSearches(limit),
    refetchInterval: 15_000,
  });

export const useRecentSearches = (limit = 8) => useQuery(recentSearchesQueryOptions(limit));
