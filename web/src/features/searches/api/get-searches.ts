import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { SearchListItem, SearchStatus } from '../../../lib/search-events';
import { searchKeys } from './search-keys';

export interface SearchesQuery {
  status?: SearchStatus;
  page?: number;
  pageSize?: number;
}

export const getSearches = (query: SearchesQuery) =>
  api<{ items: SearchListItem[]; page: number; pageSize: number; total: number }>('/api/searches', {
    query: { ...query },
  });

export const searchesQueryOptions = (query: SearchesQuery) =>
  queryOptions({
    queryKey: searchKeys.list(query),
    queryFn: () => getSearches(query),
    placeholderData: keepPreviousData,
  });

export const useSearches = (query: SearchesQuery) => useQuery(searchesQueryOptions(query));
