import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { CaseInput, MissingPerson } from './types';
import { caseKeys } from './case-keys';

export const createCase = (input: CaseInput) =>
  api<MissingPerson>('/api/missing-persons', { method: 'POST', body: input });

export const useCreateCase = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createCase,
    onSuccess: (created) => {
      queryClient.setQueryData(caseKeys.detail(created.id), created);
      void queryClient.invalidateQueries({ queryKey: caseKeys.lists() });
    },
  });
};
