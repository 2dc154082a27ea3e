import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { PersonPhoto } from './types';
import { caseKeys } from './case-keys';

export const getPhotos = (caseId: string) =>
  api<{ items: PersonPhoto[] }>(`/api/missing-persons/${caseId}/photos`);

export const photosQueryOptions = (caseId: string) =>
  queryOptions({ queryKey: caseKeys.photos(caseId), queryFn: () => getPhotos(caseId) });

export const usePhotos = (caseId: string) => useQuery(photosQueryOptions(caseId));
