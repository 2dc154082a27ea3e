import { Anchor, Button, Popover, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { paths } from '../../../config/paths';
import { plural } from '../../../lib/format';
import { useStats } from '../api/get-stats';

/**
 * A small "System: idle / analysing" indicator beside the page's actions, its details (workers,
 * queue) a click away. The server sends the queue's load to admins only, so only they see it.
 */
export function SystemStatus() {
  const stats = useStats();
  const system = stats.data?.system;
  if (!system) return null;
  const { queueWaiting, queueRunning, workersBusy, workers } = system;
  const busy = workersBusy > 0 || queueRunning > 0;
  return (
    <Popover position="bottom-end" withArrow shadow="md">
      <Popover.Target>
        <Button
          variant="default"
          size="md"
          data-testid="system-status"
          leftSection={
            <span
              aria-hidden
              style={{
                width: 10,
                height: 10,
                borderRadius: '50%',
                background: `var(--mantine-color-${busy ? 'blue' : 'green'}-7)`,
              }}
            />
          }
        >
          System: {busy ? 'analysing' : 'idle'}
        </Button>
      </Popover.Target>
      <Popover.Dropdown aria-label="System status">
        <Stack gap={4}>
          <Text size="sm">
            Workers busy: <b>{workersBusy}</b> of {workers}
          </Text>
          <Text size="sm">
            Jobs running: <b>{queueRunning}</b>
          </Text>
          <Text size="sm">
            Waiting in queue: <b>{plural(queueWaiting, 'job')}</b>
          </Text>
          <Anchor component={Link} to={paths.admin} size="sm">
            Administration
          </Anchor>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
