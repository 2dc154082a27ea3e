import { Anchor, Badge, Stack, Table, Title } from '@mantine/core';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/feedback/empty-state';
import { ErrorState } from '../../../components/feedback/error-state';
import { PageLoader } from '../../../components/feedback/page-loader';
import { formatDateTime } from '../../../lib/format';
import { searchPage, searchStatusColor } from '../../../lib/search-events';
import { useRecentSearches } from '../api/get-recent-searches';

export function RecentSearches() {
  const searches = useRecentSearches();
  return (
    <Stack gap="sm">
      <Title order={3}>Recent searches</Title>
      {searches.isPending && <PageLoader />}
      {searches.isError && (
        <ErrorState error={searches.error} onRetry={() => void searches.refetch()} />
      )}
      {searches.data && searches.data.items.length === 0 && (
        <EmptyState title="No searches yet" description="Your searches will be listed here." />
      )}
      {searches.data && searches.data.items.length > 0 && (
        <Table.ScrollContainer minWidth={420}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Person</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Matches</Table.Th>
                <Table.Th>Started</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {searches.data.items.map((search) => (
                <Table.Tr key={search.id}>
                  <Table.Td>
                    <Anchor component={Link} to={searchPage(search)}>
                      {search.missingPerson.firstName} {search.missingPerson.lastName}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={searchStatusColor[search.status]} variant="light">
                      {search.status}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{search.matchCount}</Table.Td>
                  <Table.Td>{formatDateTime(search.createdAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
