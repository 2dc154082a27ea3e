import { api } from '../../../lib/api-client';
import { useSaveEntity } from '../../../lib/react-query';
import type { CaseInput, MissingPerson } from './types';
import { caseKeys } from './case-keys';

export const createCase = (input: CaseInput) =>
  api<MissingPerson>('/api/missing-persons', { method: 'POST', body: input });

export const useCreateCase = () => useSaveEntity(caseKeys, createCase);
