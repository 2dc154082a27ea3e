import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { SearchSummary } from './types';
import { searchKeys } from './search-keys';

export const getSummary = (searchId: string) =>
  api<SearchSummary>(`/api/searches/${searchId}/summary`);

export const summaryQueryOptions = (searchId: string) =>
  queryOptions({
    queryKey: searchKeys.summary(searchId),
    queryFn: () => getSummary(searchId),
  });

export const useSummary = (searchId: string) => useQuery(summaryQueryOptions(searchId));
