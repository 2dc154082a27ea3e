import { Badge, Button, Group, Stack, Text, Title } from '@mantine/core';
import { DataList, RowAction, type DataListColumn } from '../../../components/data-list/data-list';
import { formatDateTime } from '../../../lib/format';
import {
  useEndSession,
  useLogoutEverywhere,
  useSessions,
  type ActiveSession,
} from '../api/sessions';

const sessionColumns = (end: ReturnType<typeof useEndSession>): DataListColumn<ActiveSession>[] => [
  {
    header: 'Device',
    cell: (session) => (
      <Group gap="xs">
        {session.device}
        {session.current && (
          <Badge variant="light" size="sm">
            this device
          </Badge>
        )}
      </Group>
    ),
  },
  { header: 'IP address', cell: (session) => session.ip ?? '—' },
  { header: 'Signed in', cell: (session) => formatDateTime(session.createdAt) },
  { header: 'Last seen', cell: (session) => formatDateTime(session.lastSeenAt) },
  {
    header: '',
    cell: (session) =>
      !session.current && (
        <RowAction action={end} id={session.id}>
          End
        </RowAction>
      ),
  },
];

/** Where the account is signed in: end a session you do not recognise, or all of them. */
export function Sessions() {
  const sessions = useSessions();
  const end = useEndSession();
  const everywhere = useLogoutEverywhere();

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={3}>Sessions</Title>
        <Button
          color="red"
          variant="light"
          loading={everywhere.isPending}
          onClick={() => everywhere.mutate()}
        >
          Log out everywhere
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        Each sign-in, with the bearer token it gave. Ending one signs that browser or script out.
      </Text>
      <DataList
        label="Active sessions"
        query={sessions}
        columns={sessionColumns(end)}
        minWidth={520}
        look={{}}
        empty="No session."
      />
    </Stack>
  );
}
