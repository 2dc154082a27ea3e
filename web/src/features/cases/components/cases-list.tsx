import { Anchor, Badge, Group } from '@mantine/core';
import { Link } from 'react-router';
import {
  DataList,
  StatusBadge,
  type DataListColumn,
} from '../../../components/data-list/data-list';
import {
  ALL,
  emptyListAction,
  SegmentFilter,
  TextFilter,
  useListFilters,
} from '../../../components/data-list/list-filters';
import { ContributeButton } from '../../../components/layouts/contribute-button';
import { paths } from '../../../config/paths';
import { formatDateTime } from '../../../lib/format';
import { useCases } from '../api/get-cases';
import type { CaseRole, CaseStatus, MissingPerson } from '../api/types';

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

const statusOptions = [
  { value: ALL, label: 'All' },
  { value: 'missing', label: 'Missing' },
  { value: 'found', label: 'Found' },
  { value: 'closed', label: 'Closed' },
] as const;

const lastSeen = (person: MissingPerson) =>
  [person.lastSeenLocation, person.lastSeenAt && formatDateTime(person.lastSeenAt)]
    .filter(Boolean)
    .join(' · ') || '—';

export const caseColumns: DataListColumn<MissingPerson>[] = [
  {
    header: 'Name',
    cell: (person) => (
      <Group gap="xs">
        <Anchor component={Link} to={paths.case(person.id)}>
          {person.firstName} {person.lastName}
        </Anchor>
        <SharedBadge role={person.role} />
      </Group>
    ),
  },
  {
    header: 'Status',
    cell: (person) => <StatusBadge status={person.status} colors={caseStatusColor} />,
  },
  { header: 'Photos', cell: (person) => person.photoCount },
  { header: 'Last seen', cell: lastSeen },
];

export function CasesList() {
  const list = useListFilters<{ q: string; status: typeof ALL | CaseStatus }>(
    { q: '', status: ALL },
    PAGE_SIZE,
  );
  const cases = useCases(list.params);

  return (
    <DataList
      label="Cases"
      query={cases}
      columns={caseColumns}
      minWidth={520}
      empty={{
        title: list.isFiltered ? 'No case matches' : 'No cases yet',
        description: list.isFiltered
          ? 'No case has this name or status.'
          : 'A case is opened when you start a new search.',
        action: emptyListAction(list, <ContributeButton>Open a case</ContributeButton>),
      }}
      paging={list.paging}
      filters={
        <>
          <TextFilter
            label="Search cases by name"
            placeholder="Search by name"
            {...list.bind('q')}
          />
          <SegmentFilter label="Case status" {...list.bind('status')} options={statusOptions} />
        </>
      }
    />
  );
}
