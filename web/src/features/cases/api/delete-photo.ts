import { api } from '../../../lib/api-client';
import { useRefreshingMutation } from '../../../lib/react-query';
import { caseKeys } from './case-keys';

export const deletePhoto = ({ caseId, photoId }: { caseId: string; photoId: string }) =>
  api<void>(`/api/missing-persons/${caseId}/photos/${photoId}`, { method: 'DELETE' });

/** The case's photos and its photo count change. */
export const useDeletePhoto = () =>
  useRefreshingMutation(deletePhoto, ({ caseId }) => [
    caseKeys.photos(caseId),
    caseKeys.detail(caseId),
  ]);
