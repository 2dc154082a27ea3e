import { Badge, Group, Paper, Text } from '@mantine/core';
import { useStats } from '../api/get-stats';

/** How busy the analysis workers are, so an admin knows why searches wait (admins only). */
export function SystemStatus() {
  const stats = useStats();
  if (stats.isPending) return null;
  if (stats.isError) {
    return (
      <Badge color="red" variant="light">
        System status unavailable
      </Badge>
    );
  }
  if (!stats.data.system) return null;
  const { queueWaiting, queueRunning, workersBusy, workers } = stats.data.system;
  const busy = workersBusy > 0 || queueRunning > 0;
  return (
    <Paper withBorder px="md" py="xs" radius="md" aria-label="System status">
      <Group gap="md" wrap="wrap">
        <Badge color={busy ? 'blue' : 'green'} variant="dot">
          {busy ? 'Analysing' : 'Idle'}
        </Badge>
        <Text size="sm">
          Workers busy: <b>{workersBusy}</b> of {workers}
        </Text>
        <Text size="sm">
          Jobs running: <b>{queueRunning}</b>
        </Text>
        <Text size="sm">
          Waiting in queue: <b>{queueWaiting}</b>
        </Text>
      </Group>
    </Paper>
  );
}
