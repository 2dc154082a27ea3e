import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { isActiveStatus } from '../../../lib/search-events';
import type { SearchDetail } from './types';
import { searchKeys } from './search-keys';

export const getSearch = (id: string) => api<SearchDetail>(`/api/searches/${id}`);

/** `poll`: ask again every few seconds while the search is active (when live events are off). */
export const searchQueryOptions = (id: string, poll = false) =>
  queryOptions({
    queryKey: searchKeys.detail(id),
    queryFn: () => getSearch(id),
    refetchInterval: (query) =>
      poll && query.state.data && isActiveStatus(query.state.data.status) ? 3_000 : false,
  });

export const useSearch = (id: string, poll = false) => useQuery(searchQueryOptions(id, poll));
