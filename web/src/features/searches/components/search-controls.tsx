import { Button, Group } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { errorMessage } from '../../../lib/api-client';
import type { SearchStatus } from '../../../lib/search-events';
import { useControlSearch, type SearchAction } from '../api/control-search';

/** Pause, Resume and Cancel, each offered only when the search's real state allows it. */
export function SearchControls({ searchId, status }: { searchId: string; status: SearchStatus }) {
  const control = useControlSearch();
  const run = (action: SearchAction) =>
    control.mutate(
      { id: searchId, action },
      {
        onError: (error) =>
          notifications.show({
            color: 'red',
            title: `Could not ${action}`,
            message: errorMessage(error),
          }),
      },
    );
  const busy = (action: SearchAction) => control.isPending && control.variables.action === action;
  const canPause = status === 'queued' || status === 'running';
  const canCancel = canPause || status === 'paused';
  if (!canCancel) return null;
  return (
    <Group gap="xs">
      {status === 'paused' ? (
        <Button onClick={() => run('resume')} loading={busy('resume')}>
          Resume
        </Button>
      ) : (
        <Button
          variant="default"
          onClick={() => run('pause')}
          loading={busy('pause')}
          disabled={!canPause}
        >
          Pause
        </Button>
      )}
      <Button color="red" variant="light" onClick={() => run('cancel')} loading={busy('cancel')}>
        Cancel search
      </Button>
    </Group>
  );
}
