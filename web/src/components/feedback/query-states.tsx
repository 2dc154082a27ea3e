import { Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { EmptyState } from './empty-state';
import { ErrorState } from './error-state';
import { PageLoader } from './page-loader';

export interface EmptyText {
  title: string;
  description: string;
  /** What to do about it, e.g. a button that adds the first one or clears the filters. */
  action?: ReactNode;
}

interface QueryStatesProps<Data> {
  query: UseQueryResult<Data>;
  /** Whether the loaded data has nothing to show, so the empty state stands in for it. */
  isEmpty: (data: Data) => boolean;
  /** A boxed title and description, or a quiet line where the list is one part of a panel. */
  empty: EmptyText | string;
  children: (data: Data) => ReactNode;
}

/**
 * The loading, failed, empty and loaded states of one query. A failed refetch keeps showing the
 * data it already had below the error, so a blip does not blank the page.
 */
export function QueryStates<Data>({ query, isEmpty, empty, children }: QueryStatesProps<Data>) {
  return (
    <>
      {query.isPending && <PageLoader />}
      {query.isError && <ErrorState error={query.error} onRetry={() => void query.refetch()} />}
      {query.data !== undefined && isEmpty(query.data) && <Empty empty={empty} />}
      {query.data !== undefined && !isEmpty(query.data) && children(query.data)}
    </>
  );
}

function Empty({ empty }: { empty: EmptyText | string }) {
  if (typeof empty !== 'string') {
    return <EmptyState {...empty} />;
  }
  return (
    <Text size="sm" c="dimmed">
      {empty}
    </Text>
  );
}
