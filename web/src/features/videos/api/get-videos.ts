import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { Video, VideoStatus } from './types';
import { videoKeys } from './video-keys';

export interface VideosQuery {
  kind?: 'upload' | 'live';
  status?: VideoStatus;
  q?: string;
  page?: number;
  pageSize?: number;
}

export const getVideos = (query: VideosQuery) =>
  api<{ items: Video[]; page: number; pageSize: number; total: number }>('/api/videos', {
    query: { ...query },
  });

export const videosQueryOptions = (query: VideosQuery) =>
  queryOptions({
    queryKey: videoKeys.list(query),
    queryFn: () => getVideos(query),
    placeholderData: keepPreviousData,
  });

export const useVideos = (query: VideosQuery) => useQuery(videosQueryOptions(query));
