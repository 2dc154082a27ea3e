import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { CaseStatus, MissingPerson } from './types';
import { caseKeys } from './case-keys';

export interface CasesQuery {
  q?: string;
  status?: CaseStatus;
  page?: number;
  pageSize?: number;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export const getCases = (query: CasesQuery) =>
  api<Page<MissingPerson>>('/api/missing-persons', { query: { ...query } });

export const casesQueryOptions = (query: CasesQuery) =>
  queryOptions({
    queryKey: caseKeys.list(query),
    queryFn: () => getCases(query),
    placeholderData: keepPreviousData,
  });

export const useCases = (query: CasesQuery) => useQuery(casesQueryOptions(query));
