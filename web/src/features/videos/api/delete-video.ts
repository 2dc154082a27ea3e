import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { videoKeys } from './video-keys';

export const deleteVideo = (id: string) => api<void>(`/api/videos/${id}`, { method: 'DELETE' });

export const useDeleteVideo = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteVideo,
    onSuccess: (_result, id) => {
      queryClient.removeQueries({ queryKey: videoKeys.detail(id) });
      void queryClient.invalidateQueries({ queryKey: videoKeys.lists() });
    },
  });
};
