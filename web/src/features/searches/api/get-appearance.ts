import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { AppearanceDetail } from './types';
import { searchKeys } from './search-keys';

export const getAppearance = (searchId: string, appearanceId: string) =>
  api<AppearanceDetail>(`/api/searches/${searchId}/appearances/${appearanceId}`);

export const appearanceQueryOptions = (searchId: string, appearanceId: string) =>
  queryOptions({
    queryKey: searchKeys.appearance(searchId, appearanceId),
    queryFn: () => getAppearance(searchId, appearanceId),
  });

export const useAppearance = (searchId: string, appearanceId: string | null) =>
  useQuery({
    ...appearanceQueryOptions(searchId, appearanceId ?? ''),
    enabled: Boolean(appearanceId),
  });
