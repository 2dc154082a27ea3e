import { api } from '../../../lib/api-client';
import { useSaveEntity } from '../../../lib/react-query';
import type { CaseInput, MissingPerson } from './types';
import { caseKeys } from './case-keys';

export const updateCase = ({ id, input }: { id: string; input: CaseInput }) =>
  api<MissingPerson>(`/api/missing-persons/${id}`, { method: 'PUT', body: input });

export const useUpdateCase = () => useSaveEntity(caseKeys, updateCase);
