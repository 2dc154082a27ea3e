import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export const deleteCase = (id: string) =>
  api<void>(`/api/missing-persons/${id}`, { method: 'DELETE' });

export const useDeleteCase = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteCase,
    onSuccess: (_result, id) => {
      queryClient.removeQueries({ queryKey: ['cases', 'detail', id] });
      void queryClient.invalidateQueries({ queryKey: ['cases', 'list'] });
    },
  });
};
