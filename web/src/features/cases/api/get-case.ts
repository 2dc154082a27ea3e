import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { MissingPerson } from './types';
import { caseKeys } from './case-keys';

export const getCase = (id: string) => api<MissingPerson>(`/api/missing-persons/${id}`);

export const caseQueryOptions = (id: string) =>
  queryOptions({ queryKey: caseKeys.detail(id), queryFn: () => getCase(id) });

export const useCase = (id: string | null) =>
  useQuery({ ...caseQueryOptions(id ?? ''), enabled: Boolean(id) });
