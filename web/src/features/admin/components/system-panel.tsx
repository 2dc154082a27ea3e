import { Group, Stack, Text, Title } from '@mantine/core';
import { ErrorState } from '../../../components/feedback/error-state';
import { useSystemStatus } from '../api/status';

/** Version, database, registration mode, accounts and analysis queue of this server. */
export function SystemPanel() {
  const status = useSystemStatus();
  if (status.isPending) return null;
  if (status.isError) {
    return <ErrorState error={status.error} onRetry={() => void status.refetch()} />;
  }
  const { version, database, registration, users, queue } = status.data;
  return (
    <Stack gap="xs" aria-label="System">
      <Title order={3}>System</Title>
      <Group gap="lg" wrap="wrap">
        <Text size="sm">
          Version <b>{version}</b> on <b>{database === 'postgres' ? 'PostgreSQL' : 'SQLite'}</b>
        </Text>
        <Text size="sm">
          Registration: <b>{registration}</b>
        </Text>
        <Text size="sm">
          Active accounts: <b>{users.admin}</b> admin, <b>{users.investigator}</b> investigator,{' '}
          <b>{users.viewer}</b> viewer
        </Text>
        <Text size="sm">
          Queue: <b>{queue.running}</b> running, <b>{queue.queued}</b> waiting,{' '}
          <b>{queue.failed}</b> failed; workers busy <b>{queue.workersBusy}</b> of {queue.workers}
        </Text>
      </Group>
    </Stack>
  );
}
