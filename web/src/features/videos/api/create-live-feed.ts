import { api } from '../../../lib/api-client';
import { useRefreshingMutation } from '../../../lib/react-query';
import type { Video } from './types';
import { videoKeys } from './video-keys';

export const createLiveFeed = (input: { title: string; url: string }) =>
  api<Video>('/api/videos/live', { method: 'POST', body: input });

export const useCreateLiveFeed = () =>
  useRefreshingMutation(createLiveFeed, () => [videoKeys.lists()]);
