import { uploadForm, type Upload, type UploadProgress } from '../../../lib/upload';
import type { Video } from './types';

/**
 * Uploads one video with real byte progress. The server reads `title` before the file part, so
 * the text fields go first.
 */
export function uploadVideo(
  file: File,
  title: string,
  onProgress: (progress: UploadProgress) => void,
): Upload<Video> {
  const form = new FormData();
  form.append('title', title);
  form.append('file', file, file.name);
  return uploadForm<Video>('/api/videos', form, onProgress);
}
