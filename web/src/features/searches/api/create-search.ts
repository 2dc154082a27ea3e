import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
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

export const useCreateSearch = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createSearch,
    onSuccess: (search) => {
      queryClient.setQueryData(searchKeys.detail(search.id), search);
      void queryClient.invalidateQueries({ queryKey: dashboardKeys.all });
      void queryClient.invalidateQueries({ queryKey: searchKeys.lists() });
    },
  });
};
