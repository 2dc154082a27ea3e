import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { CaseInput, MissingPerson } from './types';

export const createCase = (input: CaseInput) =>
  api<MissingPerson>('/api/missing-persons', { method: 'POST', body: input });

export const useCreateCase = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createCase,
    onSuccess: (created) => {
      queryClient.setQueryData(['cases', 'detail', created.id], created);
      void queryClient.invalidateQueries({ queryKey: ['cases', 'list'] });
    },
  });
};
