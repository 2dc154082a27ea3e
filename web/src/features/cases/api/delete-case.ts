import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { caseKeys } from './case-keys';

export const deleteCase = (id: string) =>
  api<void>(`/api/missing-persons/${id}`, { method: 'DELETE' });

export const useDeleteCase = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteCase,
    onSuccess: (_result, id) => {
      queryClient.removeQueries({ queryKey: caseKeys.detail(id) });
      void queryClient.invalidateQueries({ queryKey: caseKeys.lists() });
    },
  });
};
