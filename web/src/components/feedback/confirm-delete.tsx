import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { errorMessage } from '../../lib/api-client';

interface ConfirmDeleteProps {
  /** What is deleted, e.g. "the case of Maria Jensen". */
  what: string;
  consequence: string;
  onConfirm: () => Promise<unknown>;
  pending: boolean;
  error: unknown;
}

/** A Delete button that asks first, because deletion cannot be undone. */
export function ConfirmDelete({
  what,
  consequence,
  onConfirm,
  pending,
  error,
}: ConfirmDeleteProps) {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button color="red" variant="light" onClick={open}>
        Delete
      </Button>
      <Modal opened={opened} onClose={close} title={`Delete ${what}?`} centered>
        <Stack>
          <Text size="sm">{consequence} This cannot be undone.</Text>
          {error !== null && error !== undefined && (
            <Text c="red" size="sm" role="alert">
              {errorMessage(error)}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Keep it
            </Button>
            <Button color="red" loading={pending} onClick={() => void onConfirm()}>
              Delete
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
