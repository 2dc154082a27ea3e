import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { Video, VideoInput } from './types';
import { videoKeys } from './video-keys';

export const updateVideo = ({ id, input }: { id: string; input: VideoInput }) =>
  api<Video>(`/api/videos/${id}`, { method: 'PUT', body: input });

export const useUpdateVideo = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateVideo,
    onSuccess: (video) => {
      queryClient.setQueryData(videoKeys.detail(video.id), video);
      void queryClient.invalidateQueries({ queryKey: videoKeys.lists() });
    },
  });
};
