import { api } from '../../../lib/api-client';
import { useDeleteEntity } from '../../../lib/react-query';
import { videoKeys } from './video-keys';

export const deleteVideo = (id: string) => api<void>(`/api/videos/${id}`, { method: 'DELETE' });

export const useDeleteVideo = () => useDeleteEntity(videoKeys, deleteVideo);
