import { useQuery } from '@tanstack/react-query';
import { pageQueryOptions } from '../../../lib/react-query';
import { caseKeys } from './case-keys';
import type { CaseStatus, MissingPerson } from './types';

export interface CasesQuery {
  q?: string;
  status?: CaseStatus;
  page?: number;
  pageSize?: number;
}

export const casesQueryOptions = (query: CasesQuery) =>
  pageQueryOptions<MissingPerson>(caseKeys.list(query), '/api/missing-persons', { ...query });

export const useCases = (query: CasesQuery) => useQuery(casesQueryOptions(query));
