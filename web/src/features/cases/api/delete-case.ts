import { api } from '../../../lib/api-client';
import { useDeleteEntity } from '../../../lib/react-query';
import { caseKeys } from './case-keys';

export const deleteCase = (id: string) =>
  api<void>(`/api/missing-persons/${id}`, { method: 'DELETE' });

export const useDeleteCase = () => useDeleteEntity(caseKeys, deleteCase);
