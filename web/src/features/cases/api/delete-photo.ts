import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { caseKeys } from './case-keys';

export const deletePhoto = ({ caseId, photoId }: { caseId: string; photoId: string }) =>
  api<void>(`/api/missing-persons/${caseId}/photos/${photoId}`, { method: 'DELETE' });

export const useDeletePhoto = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deletePhoto,
    onSuccess: (_result, { caseId }) => {
      void queryClient.invalidateQueries({ queryKey: caseKeys.photos(caseId) });
      void queryClient.invalidateQueries({ queryKey: caseKeys.detail(caseId) });
    },
  });
};
