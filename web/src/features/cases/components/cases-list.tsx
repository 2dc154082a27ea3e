import {
  Anchor,
  Badge,
  Group,
  Pagination,
  SegmentedControl,
  Stack,
  Table,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/feedback/empty-state';
import { ErrorState } from '../../../components/feedback/error-state';
import { PageLoader } from '../../../components/feedback/page-loader';
import { paths } from '../../../config/paths';
import { formatDateTime } from '../../../lib/format';
import { useCases } from '../api/get-cases';
import type { CaseRole, CaseStatus } from '../api/types';

const PAGE_SIZE = 20;
export const caseStatusColor: Record<CaseStatus, string> = {
  missing: 'red',
  found: 'green',
  closed: 'gray',
};

/** "Shared with you · viewer" on a case someone else owns; nothing on your own cases. */
export function SharedBadge({ role }: { role: CaseRole }) {
  if (role === 'owner') return null;
  return (
    <Badge color="grape" variant="outline" data-testid="shared-badge">
      Shared with you · {role}
    </Badge>
  );
}

export function CasesList() {
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<'all' | CaseStatus>('all');
  const [page, setPage] = useState(1);
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const cases = useCases({
    q: debouncedQ || undefined,
    status: status === 'all' ? undefined : status,
    page,
    pageSize: PAGE_SIZE,
  });

  return (
    <Stack>
      <Group gap="sm" wrap="wrap">
        <TextInput
          placeholder="Search by name"
          aria-label="Search cases by name"
          value={q}
          onChange={(event) => {
            setQ(event.currentTarget.value);
            setPage(1);
          }}
          w={{ base: '100%', sm: 260 }}
        />
        <SegmentedControl
          aria-label="Case status"
          value={status}
          onChange={(value) => {
            setStatus(value as 'all' | CaseStatus);
            setPage(1);
          }}
          data={[
            { value: 'all', label: 'All' },
            { value: 'missing', label: 'Missing' },
            { value: 'found', label: 'Found' },
            { value: 'closed', label: 'Closed' },
          ]}
        />
      </Group>
      {cases.isPending && <PageLoader />}
      {cases.isError && <ErrorState error={cases.error} onRetry={() => void cases.refetch()} />}
      {cases.data && cases.data.items.length === 0 && (
        <EmptyState
          title={debouncedQ || status !== 'all' ? 'No case matches' : 'No cases yet'}
          description="A case is opened when you start a new search."
        />
      )}
      {cases.data && cases.data.items.length > 0 && (
        <>
          <Table.ScrollContainer minWidth={520}>
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Photos</Table.Th>
                  <Table.Th>Last seen</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {cases.data.items.map((person) => (
                  <Table.Tr key={person.id}>
                    <Table.Td>
                      <Group gap="xs">
                        <Anchor component={Link} to={paths.case(person.id)}>
                          {person.firstName} {person.lastName}
                        </Anchor>
                        <SharedBadge role={person.role} />
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={caseStatusColor[person.status]} variant="light">
                        {person.status}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{person.photoCount}</Table.Td>
                    <Table.Td>
                      {[
                        person.lastSeenLocation,
                        person.lastSeenAt && formatDateTime(person.lastSeenAt),
                      ]
                        .filter(Boolean)
                        .join(' · ') || '—'}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {cases.data.total > PAGE_SIZE && (
            <Pagination
              value={page}
              onChange={setPage}
              total={Math.ceil(cases.data.total / PAGE_SIZE)}
              aria-label="Pages"
            />
          )}
        </>
      )}
    </Stack>
  );
}
