import {
  Badge,
  Box,
  Button,
  Group,
  Pagination,
  Paper,
  Stack,
  Table,
  Text,
  type TableProps,
} from '@mantine/core';
import type { UseMutationResult, UseQueryResult } from '@tanstack/react-query';
import { Fragment, type ReactNode } from 'react';
import { QueryStates, type EmptyText } from '../feedback/query-states';
import { useIsPhone } from '../../lib/use-is-phone';
import classes from './data-list.module.css';

export interface DataListColumn<Row> {
  header: string;
  cell: (row: Row) => ReactNode;
  /** The narrowest the column may get, e.g. for a progress bar. */
  minWidth?: number;
}

/** One page of a list as the API answers it; `total` counts every page. */
export interface ListPage<Row> {
  items: Row[];
  total?: number;
}

export interface DataListPaging {
  page: number;
  pageSize: number;
  onChange: (page: number) => void;
}

interface DataListProps<Row extends { id: string }> {
  /** Names the table for screen readers (and its sideways-scrolling area on a phone). */
  label: string;
  query: UseQueryResult<ListPage<Row>>;
  columns: readonly DataListColumn<Row>[];
  /** Below this width the table scrolls sideways rather than squeezing its columns. */
  minWidth: number;
  empty: EmptyText | string;
  /** How the table looks: striped rows that light up under the pointer unless said otherwise. */
  look?: TableProps;
  /** Names each row for screen readers (and tests), e.g. by the e-mail it is about. */
  rowLabel?: (row: Row) => string;
  /** Labelled inputs that narrow the list, shown above it. */
  filters?: ReactNode;
  paging?: DataListPaging;
}

/**
 * A table of one query's rows with its filters, pages, and loading, error and empty states. On a
 * phone each row is a card instead, so no column is cut off and nothing scrolls sideways.
 */
export function DataList<Row extends { id: string }>({
  filters,
  paging,
  ...table
}: DataListProps<Row>) {
  const Rows = useIsPhone() ? DataCards : DataTable;
  return (
    <Stack>
      {filters && (
        <Group gap="sm" wrap="wrap">
          {filters}
        </Group>
      )}
      <QueryStates
        query={table.query}
        isEmpty={(data) => data.items.length === 0}
        empty={table.empty}
      >
        {(data) => (
          <>
            <Rows {...table} rows={data.items} />
            {paging && <Pages {...paging} total={data.total ?? data.items.length} />}
          </>
        )}
      </QueryStates>
    </Stack>
  );
}

interface DataTableProps<Row extends { id: string }> extends Pick<
  DataListProps<Row>,
  'label' | 'columns' | 'minWidth' | 'look' | 'rowLabel'
> {
  rows: Row[];
}

function DataTable<Row extends { id: string }>({
  label,
  columns,
  minWidth,
  look = { striped: true, highlightOnHover: true },
  rowLabel,
  rows,
}: DataTableProps<Row>) {
  return (
    <Table.ScrollContainer
      minWidth={minWidth}
      // Focusable, so a keyboard user can scroll the table sideways on a phone.
      scrollAreaProps={{ viewportProps: { tabIndex: 0, 'aria-label': label } }}
    >
      <Table {...look} aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column) => (
              <Table.Th key={column.header}>{column.header}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.id} aria-label={rowLabel?.(row)}>
              {columns.map((column) => (
                <Table.Td key={column.header} miw={column.minWidth}>
                  {column.cell(row)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/**
 * The rows as a list of cards: the first column is the card's title, the others are labelled
 * fields beneath it (a column without a header, such as a row's button, spans the card).
 */
function DataCards<Row extends { id: string }>({
  label,
  columns,
  rowLabel,
  rows,
}: DataTableProps<Row>) {
  const [title, ...fields] = columns;
  return (
    <Stack component="ul" gap="sm" aria-label={label} className={classes.cards}>
      {rows.map((row) => (
        <Paper
          component="li"
          key={row.id}
          withBorder
          p="sm"
          radius="md"
          aria-label={rowLabel?.(row)}
        >
          {title && <Box fw={600}>{title.cell(row)}</Box>}
          <dl className={classes.fields}>
            {fields.map((column, index) => (
              <Fragment key={column.header || index}>
                {column.header && (
                  <Text component="dt" size="sm" c="dimmed">
                    {column.header}
                  </Text>
                )}
                <dd className={column.header ? undefined : classes.wide}>{column.cell(row)}</dd>
              </Fragment>
            ))}
          </dl>
        </Paper>
      ))}
    </Stack>
  );
}

/** Page buttons, shown only when there is more than one page; each says which page it opens. */
function Pages({ page, pageSize, onChange, total }: DataListPaging & { total: number }) {
  if (total <= pageSize) return null;
  return (
    <Box component="nav" aria-label="Pages">
      <Pagination
        value={page}
        onChange={onChange}
        total={Math.ceil(total / pageSize)}
        getItemProps={(item) => ({
          'aria-label': `Page ${item}`,
          'aria-current': item === page ? 'page' : undefined,
        })}
        getControlProps={(control) => ({ 'aria-label': pageControlLabel[control] })}
      />
    </Box>
  );
}

const pageControlLabel = {
  first: 'First page',
  previous: 'Previous page',
  next: 'Next page',
  last: 'Last page',
} as const;

/** A status word on a badge coloured by its meaning. */
export function StatusBadge<Status extends string>({
  status,
  colors,
}: {
  status: Status;
  colors: Record<Status, string>;
}) {
  return (
    <Badge color={colors[status]} variant="light">
      {status}
    </Badge>
  );
}

interface RowActionProps {
  /** The change, e.g. revoking; it takes the row's id. */
  action: UseMutationResult<unknown, Error, string>;
  id: string;
  children: ReactNode;
}

/** A small red button that ends or revokes the thing on its row, spinning while it does. */
export function RowAction({ action, id, children }: RowActionProps) {
  return (
    <Button
      size="compact-xs"
      color="red"
      variant="subtle"
      loading={action.isPending && action.variables === id}
      onClick={() => action.mutate(id)}
    >
      {children}
    </Button>
  );
}
