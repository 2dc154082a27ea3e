import { Group, Progress, Select, Text } from '@mantine/core';
import { DataList, type DataListColumn } from '../../../components/data-list/data-list';
import { ALL, emptyListAction, useListFilters } from '../../../components/data-list/list-filters';
import { ContributeButton } from '../../../components/layouts/contribute-button';
import { progressColor, type SearchListItem, type SearchStatus } from '../../../lib/search-events';
import { searchColumns } from '../../../components/data-list/search-list-columns';
import { useSearches } from '../api/get-searches';

const PAGE_SIZE = 20;

const statusOptions = [
  { value: ALL, label: 'All searches' },
  ...['running', 'queued', 'paused', 'completed', 'cancelled', 'failed'].map((value) => ({
    value,
    label: value[0]!.toUpperCase() + value.slice(1),
  })),
];

const progressColumn: DataListColumn<SearchListItem> = {
  header: 'Progress',
  minWidth: 120,
  cell: (search) => (
    <Group gap="xs" wrap="nowrap" data-testid="list-progress">
      <Progress
        value={search.progress}
        color={progressColor[search.status]}
        aria-label={`Progress, ${search.status}`}
        style={{ flex: 1 }}
      />
      <Text size="xs">{Math.round(search.progress)}%</Text>
    </Group>
  ),
};

const columns = [
  searchColumns.person,
  searchColumns.status,
  progressColumn,
  searchColumns.matches,
  searchColumns.createdAt('Created'),
];

export function SearchesList() {
  const list = useListFilters<{ status: typeof ALL | SearchStatus }>({ status: ALL }, PAGE_SIZE);
  const searches = useSearches(list.params);
  return (
    <DataList
      label="Searches"
      query={searches}
      columns={columns}
      minWidth={640}
      empty={{
        title: list.isFiltered ? 'No search has this status' : 'No searches yet',
        description: 'Start a new search to look for someone.',
        action: emptyListAction(list, <ContributeButton>Start a search</ContributeButton>),
      }}
      paging={list.paging}
      filters={
        <Select
          label="Status"
          value={list.filters.status}
          onChange={(value) =>
            list.setFilter('status', (value ?? ALL) as typeof ALL | SearchStatus)
          }
          allowDeselect={false}
          data={statusOptions}
          w={{ base: '100%', sm: 220 }}
        />
      }
    />
  );
}
