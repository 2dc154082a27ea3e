import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { Preset, Priority } from '../../../lib/search-events';
import type { SearchDetail } from './types';

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
      queryClient.setQueryData(['searches', 'detail', search.id], search);
      void queryClient.invalidateQueries({ queryKey: ['dashboard'] });
      void queryClient.invalidateQueries({ queryKey: ['searches', 'list'] });
    },
  });
};
