import { QueryClient, type DefaultOptions } from '@tanstack/react-query';
import { ApiError } from './api-client';

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
