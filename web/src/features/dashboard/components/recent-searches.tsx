import { Stack, Title } from '@mantine/core';
import { DataList } from '../../../components/data-list/data-list';
import { searchColumns } from '../../../components/data-list/search-list-columns';
import { ContributeButton } from '../../../components/layouts/contribute-button';
import { useRecentSearches } from '../api/get-recent-searches';

const columns = [
  searchColumns.person,
  searchColumns.status,
  searchColumns.matches,
  searchColumns.createdAt('Started'),
];

export function RecentSearches() {
  const searches = useRecentSearches();
  return (
    <Stack gap="sm">
      <Title order={3}>Recent searches</Title>
      <DataList
        label="Recent searches"
        query={searches}
        columns={columns}
        minWidth={420}
        empty={{
          title: 'No searches yet',
          description: 'Your searches will be listed here.',
          action: <ContributeButton variant="default">Start a search</ContributeButton>,
        }}
      />
    </Stack>
  );
}
