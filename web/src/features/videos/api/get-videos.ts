import { useQuery } from '@tanstack/react-query';
import { pageQueryOptions } from '../../../lib/react-query';
import type { Video, VideoStatus } from './types';
import { videoKeys } from './video-keys';

export interface VideosQuery {
  kind?: 'upload' | 'live';
  status?: VideoStatus;
  q?: string;
  page?: number;
  pageSize?: number;
}

export const videosQueryOptions = (query: VideosQuery) =>
  pageQueryOptions<Video>(videoKeys.list(query), '/api/videos', { ...query });

export const useVideos = (query: VideosQuery) => useQuery(videosQueryOptions(query));
