import { api } from '../../../lib/api-client';
import { useSaveEntity } from '../../../lib/react-query';
import { dashboardKeys } from '../../../lib/dashboard-keys';
import type { Preset, Priority } from '../../../lib/search-events';
import type { SearchDetail } from './types';
import { searchKeys } from './search-keys';

export interface CreateSearchInput {
  missingPersonId: string;
  videoIds: string[];
  preset: Preset;
  /** Omitted: the preset's calibrated default. */
  threshold?: number;
  priority: Priority;
}

export const createSearch = (input: CreateSearchInput) =>
  api<SearchDetail>('/api/searches', { method: 'POST', body: input });

/** A new search also shows on the dashboard. */
export const useCreateSearch = () => useSaveEntity(searchKeys, createSearch, [dashboardKeys.all]);
