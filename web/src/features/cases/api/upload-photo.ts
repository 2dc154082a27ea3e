import { api } from '../../../lib/api-client';
import { useRefreshingMutation } from '../../../lib/react-query';
import type { PhotoUploadResult } from './types';
import { caseKeys } from './case-keys';

export interface UploadPhotoInput {
  caseId: string;
  file: File;
  /** Which face to enrol when the photo shows several (index into `faces`). */
  faceIndex?: number;
}

/** Uploads one photo; the answer says whether its face was enrolled, or why not. */
export async function uploadPhoto({ caseId, file, faceIndex }: UploadPhotoInput) {
  const form = new FormData();
  if (faceIndex !== undefined) form.append('faceIndex', String(faceIndex));
  form.append('photos', file, file.name);
  const response = await api<{ photos: PhotoUploadResult[] }>(
    `/api/missing-persons/${caseId}/photos`,
    { method: 'POST', body: form },
  );
  const result = response.photos[0];
  if (!result) throw new Error('The server did not answer for this photo');
  return result;
}

/** The case's photos and its photo count change. */
export const useUploadPhoto = () =>
  useRefreshingMutation(uploadPhoto, ({ caseId }) => [
    caseKeys.photos(caseId),
    caseKeys.detail(caseId),
  ]);
