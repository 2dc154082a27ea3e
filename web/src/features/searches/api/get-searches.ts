import { useQuery } from '@tanstack/react-query';
import { pageQueryOptions } from '../../../lib/react-query';
import type { SearchListItem, SearchStatus } from '../../../lib/search-events';
import { searchKeys } from './search-keys';

export interface SearchesQuery {
  status?: SearchStatus;
  /** Only this case's searches. */
  missingPersonId?: string;
  page?: number;
  pageSize?: number;
}

export const searchesQueryOptions = (query: SearchesQuery) =>
  pageQueryOptions<SearchListItem>(searchKeys.list(query), '/api/searches', { ...query });

export const useSearches = (query: SearchesQuery) => useQuery(searchesQueryOptions(query));
