import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { errorMessage } from '../../../lib/api-client';
import type { SearchStatus } from '../../../lib/search-events';
import { useControlSearch, type SearchAction } from '../api/control-search';

/** Cancel cannot be undone, so it asks first and offers Pause as the way to stop for a while. */
function ConfirmCancel({
  opened,
  onClose,
  onConfirm,
  matchCount,
}: {
  opened: boolean;
  onClose: () => void;
  onConfirm: () => void;
  matchCount: number;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title="Cancel this search?"
      centered
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <Stack>
        <Text size="sm">
          The footage not analysed yet will not be searched, and a cancelled search cannot be
          resumed. The {matchCount} match{matchCount === 1 ? '' : 'es'} found so far{' '}
          {matchCount === 1 ? 'is' : 'are'} kept. To stop only for a while, pause instead.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Keep searching
          </Button>
          <Button color="red" onClick={onConfirm}>
            Cancel the search
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Pause, Resume and Cancel, each offered only when the search's real state allows it. */
export function SearchControls({
  searchId,
  status,
  matchCount,
}: {
  searchId: string;
  status: SearchStatus;
  matchCount: number;
}) {
  const control = useControlSearch();
  const [confirming, confirm] = useDisclosure(false);
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
      <Button color="red" variant="light" onClick={confirm.open} loading={busy('cancel')}>
        Cancel search
      </Button>
      <ConfirmCancel
        opened={confirming}
        onClose={confirm.close}
        onConfirm={() => {
          confirm.close();
          run('cancel');
        }}
        matchCount={matchCount}
      />
    </Group>
  );
}
