import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { CaseInput, MissingPerson } from './types';
import { caseKeys } from './case-keys';

export const updateCase = ({ id, input }: { id: string; input: CaseInput }) =>
  api<MissingPerson>(`/api/missing-persons/${id}`, { method: 'PUT', body: input });

export const useUpdateCase = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateCase,
    onSuccess: (updated) => {
      queryClient.setQueryData(caseKeys.detail(updated.id), updated);
      void queryClient.invalidateQueries({ queryKey: caseKeys.lists() });
    },
  });
};
