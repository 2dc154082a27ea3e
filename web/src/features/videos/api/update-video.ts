import { api } from '../../../lib/api-client';
import { useSaveEntity } from '../../../lib/react-query';
import type { Video, VideoInput } from './types';
import { videoKeys } from './video-keys';

export const updateVideo = ({ id, input }: { id: string; input: VideoInput }) =>
  api<Video>(`/api/videos/${id}`, { method: 'PUT', body: input });

export const useUpdateVideo = () => useSaveEntity(videoKeys, updateVideo);
