import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { Video } from './types';
import { videoKeys } from './video-keys';

export const createLiveFeed = (input: { title: string; url: string }) =>
  api<Video>('/api/videos/live', { method: 'POST', body: input });

export const useCreateLiveFeed = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createLiveFeed,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: videoKeys.lists() }),
  });
};
