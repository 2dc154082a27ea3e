import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { Video } from './types';
import { videoKeys } from './video-keys';

export const getVideo = (id: string) => api<Video>(`/api/videos/${id}`);

export const videoQueryOptions = (id: string) =>
  queryOptions({
    queryKey: videoKeys.detail(id),
    queryFn: () => getVideo(id),
    // A browser-playable copy may still be in the making; look again until it is settled.
    refetchInterval: (query) => {
      const status = query.state.data?.playback.status;
      return status === 'pending' || status === 'processing' ? 3_000 : false;
    },
  });

export const useVideo = (id: string) => useQuery(videoQueryOptions(id));
