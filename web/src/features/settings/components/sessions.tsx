import { Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { ErrorState } from '../../../components/feedback/error-state';
import { PageLoader } from '../../../components/feedback/page-loader';
import { formatDateTime } from '../../../lib/format';
import { useEndSession, useLogoutEverywhere, useSessions } from '../api/sessions';

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
      {sessions.isPending && <PageLoader />}
      {sessions.isError && (
        <ErrorState error={sessions.error} onRetry={() => void sessions.refetch()} />
      )}
      {sessions.data && (
        <Table.ScrollContainer
          minWidth={520}
          // Focusable, so a keyboard user can scroll the table sideways on a phone.
          scrollAreaProps={{ viewportProps: { tabIndex: 0, 'aria-label': 'Active sessions' } }}
        >
          <Table aria-label="Active sessions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Device</Table.Th>
                <Table.Th>IP address</Table.Th>
                <Table.Th>Signed in</Table.Th>
                <Table.Th>Last seen</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sessions.data.items.map((session) => (
                <Table.Tr key={session.id}>
                  <Table.Td>
                    <Group gap="xs">
                      {session.device}
                      {session.current && (
                        <Badge variant="light" size="sm">
                          this device
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{session.ip ?? '—'}</Table.Td>
                  <Table.Td>{formatDateTime(session.createdAt)}</Table.Td>
                  <Table.Td>{formatDateTime(session.lastSeenAt)}</Table.Td>
                  <Table.Td>
                    {!session.current && (
                      <Button
                        size="compact-xs"
                        color="red"
                        variant="subtle"
                        loading={end.isPending && end.variables === session.id}
                        onClick={() => end.mutate(session.id)}
                      >
                        End
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
