import {
  Anchor,
  Badge,
  Group,
  Pagination,
  Progress,
  Select,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/feedback/empty-state';
import { ErrorState } from '../../../components/feedback/error-state';
import { PageLoader } from '../../../components/feedback/page-loader';
import { formatDateTime } from '../../../lib/format';
import {
  progressColor,
  searchPage,
  searchStatusColor,
  type SearchStatus,
} from '../../../lib/search-events';
import { useSearches } from '../api/get-searches';

const PAGE_SIZE = 20;

export function SearchesList() {
  const [status, setStatus] = useState<'all' | SearchStatus>('all');
  const [page, setPage] = useState(1);
  const searches = useSearches({
    status: status === 'all' ? undefined : status,
    page,
    pageSize: PAGE_SIZE,
  });
  return (
    <Stack>
      <Select
        label="Status"
        value={status}
        onChange={(value) => {
          setStatus((value ?? 'all') as 'all' | SearchStatus);
          setPage(1);
        }}
        allowDeselect={false}
        data={[
          { value: 'all', label: 'All searches' },
          ...['running', 'queued', 'paused', 'completed', 'cancelled', 'failed'].map((value) => ({
            value,
            label: value[0]!.toUpperCase() + value.slice(1),
          })),
        ]}
        w={{ base: '100%', sm: 220 }}
      />
      {searches.isPending && <PageLoader />}
      {searches.isError && (
        <ErrorState error={searches.error} onRetry={() => void searches.refetch()} />
      )}
      {searches.data && searches.data.items.length === 0 && (
        <EmptyState
          title="No searches here"
          description="Start a new search to look for someone."
        />
      )}
      {searches.data && searches.data.items.length > 0 && (
        <>
          <Table.ScrollContainer minWidth={640}>
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Person</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Progress</Table.Th>
                  <Table.Th>Matches</Table.Th>
                  <Table.Th>Created</Table.Th>
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
                    <Table.Td miw={120}>
                      <Group gap="xs" wrap="nowrap" data-testid="list-progress">
                        <Progress
                          value={search.progress}
                          color={progressColor[search.status]}
                          aria-label={`Progress, ${search.status}`}
                          style={{ flex: 1 }}
                        />
                        <Text size="xs">{Math.round(search.progress)}%</Text>
                      </Group>
                    </Table.Td>
                    <Table.Td>{search.matchCount}</Table.Td>
                    <Table.Td>{formatDateTime(search.createdAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {searches.data.total > PAGE_SIZE && (
            <Pagination
              value={page}
              onChange={setPage}
              total={Math.ceil(searches.data.total / PAGE_SIZE)}
            />
          )}
        </>
      )}
    </Stack>
  );
}
