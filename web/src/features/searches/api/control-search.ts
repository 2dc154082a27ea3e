import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { dashboardKeys } from '../../../lib/dashboard-keys';
import type { SearchStatus } from '../../../lib/search-events';
import type { SearchDetail } from './types';
import { searchKeys } from './search-keys';

export type SearchAction = 'pause' | 'resume' | 'cancel';

export const controlSearch = ({ id, action }: { id: string; action: SearchAction }) =>
  api<{ status: SearchStatus }>(`/api/searches/${id}/${action}`, { method: 'PUT' });

export const useControlSearch = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: controlSearch,
    onSuccess: ({ status }, { id }) => {
      queryClient.setQueryData<SearchDetail>(
        searchKeys.detail(id),
        (old) => old && { ...old, status },
      );
      void queryClient.invalidateQueries({ queryKey: dashboardKeys.all });
    },
    // A 409 means the state moved on meanwhile (e.g. it just finished): show the real one.
    onError: (_error, { id }) =>
      void queryClient.invalidateQueries({ queryKey: searchKeys.detail(id) }),
  });
};
