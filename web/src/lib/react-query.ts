import {
  keepPreviousData,
  QueryClient,
  queryOptions,
  useMutation,
  useQueryClient,
  type DefaultOptions,
  type QueryKey,
} from '@tanstack/react-query';
import { api, ApiError, type ApiQuery } from './api-client';

const queryConfig: DefaultOptions = {
  queries: {
    refetchOnWindowFocus: false,
    staleTime: 10_000,
    // A 4xx answer will not change by asking again; network blips and 5xx might.
    retry: (failureCount, error) =>
      !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failureCount < 2,
  },
};

export function createQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: queryConfig });
}

/** The unwrapped answer type of a query-options factory or fetcher. */
export type ApiFnReturnType<FnType extends (...args: never[]) => Promise<unknown>> = Awaited<
  ReturnType<FnType>
>;

/**
 * The query keys every listed entity has: all of it, its lists, one filtered list, one item. A
 * change refreshes `lists()` and sets `detail(id)`; the feature adds keys of its own beside these.
 */
export const entityKeys = <Query>(root: string) => ({
  all: [root] as const,
  lists: () => [root, 'list'] as const,
  list: (query: Query) => [root, 'list', query] as const,
  detail: (id: string) => [root, 'detail', id] as const,
});

type EntityKeys = Pick<ReturnType<typeof entityKeys>, 'lists' | 'detail'>;

/** One page of a list as the API answers it; `total` counts every page. */
export interface Page<Row> {
  items: Row[];
  page: number;
  pageSize: number;
  total: number;
}

/** A page of the list at `path`; the page shown stays while the next one loads. */
export const pageQueryOptions = <Row>(queryKey: QueryKey, path: string, query: ApiQuery) =>
  queryOptions({
    queryKey,
    queryFn: () => api<Page<Row>>(path, { query }),
    placeholderData: keepPreviousData,
  });

/** Creates or changes an entity: the answer becomes its cached detail and its lists reload. */
export function useSaveEntity<Input, Entity extends { id: string }>(
  keys: EntityKeys,
  save: (input: Input) => Promise<Entity>,
  alsoRefresh: readonly QueryKey[] = [],
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: save,
    onSuccess: (saved) => {
      queryClient.setQueryData(keys.detail(saved.id), saved);
      for (const queryKey of [keys.lists(), ...alsoRefresh]) {
        void queryClient.invalidateQueries({ queryKey });
      }
    },
  });
}

/** Deletes an entity by id: its cached detail is dropped and its lists reload. */
export function useDeleteEntity(keys: EntityKeys, remove: (id: string) => Promise<void>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: remove,
    onSuccess: (_result, id) => {
      queryClient.removeQueries({ queryKey: keys.detail(id) });
      void queryClient.invalidateQueries({ queryKey: keys.lists() });
    },
  });
}

/**
 * A change after which the queries it affects load again: after success, or with `settled` after a
 * failure too, where the error may mean the data moved on meanwhile.
 */
export function useRefreshingMutation<Variables, Result>(
  change: (variables: Variables) => Promise<Result>,
  affected: (variables: Variables) => readonly QueryKey[],
  when: 'success' | 'settled' = 'success',
) {
  const queryClient = useQueryClient();
  const refresh = (variables: Variables) => {
    for (const queryKey of affected(variables)) void queryClient.invalidateQueries({ queryKey });
  };
  return useMutation({
    mutationFn: change,
    onSuccess: when === 'success' ? (_result, variables) => refresh(variables) : undefined,
    onSettled: when === 'settled' ? (_result, _error, variables) => refresh(variables) : undefined,
  });
}
