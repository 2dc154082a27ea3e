import {
  Alert,
  Button,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { formatDateTime } from '../../../lib/format';
import { useLegalHold, useSetCaseRetention, useSetCaseStatus } from '../api/case-lifecycle';
import type { CaseStatus, MissingPerson } from '../api/types';

const statusOptions: { value: CaseStatus; label: string }[] = [
  { value: 'missing', label: 'Open (missing)' },
  { value: 'found', label: 'Found' },
  { value: 'closed', label: 'Closed' },
];

/** What happens to the case's data, in one sentence. */
function RetentionNotice({ person }: { person: MissingPerson }) {
  if (person.legalHold) {
    return (
      <Alert color="blue" title="Under legal hold">
        Kept however old it gets, since {formatDateTime(person.legalHold.placedAt)}:{' '}
        {person.legalHold.reason}
      </Alert>
    );
  }
  if (person.deleteAfter) {
    return (
      <Alert color="orange" title={`Will be deleted on ${formatDateTime(person.deleteAfter)}`}>
        The case, its photos, face data, searches and their results are deleted{' '}
        {person.effectiveRetentionDays} days after it was {person.status}. Reopen it or place a
        legal hold to keep it.
      </Alert>
    );
  }
  return (
    <Text size="sm" c="dimmed">
      Kept while open; deleted {person.effectiveRetentionDays} days after it is found or closed.
    </Text>
  );
}

function LegalHoldControl({ person, editable }: { person: MissingPerson; editable: boolean }) {
  const hold = useLegalHold();
  const [placing, setPlacing] = useState(false);
  const [reason, setReason] = useState('');
  const held = person.legalHold !== null;
  return (
    <Stack gap="xs">
      <Switch
        label="Legal hold"
        description="Keeps the case from automatic deletion, for an inquiry or a court order"
        checked={held || placing}
        disabled={!editable || hold.isPending}
        onChange={(event) => {
          if (event.currentTarget.checked) setPlacing(true);
          else if (held) hold.mutate({ id: person.id, reason: null });
          else setPlacing(false);
        }}
      />
      {placing && !held && (
        <Group align="end">
          <TextInput
            label="Reason for the hold"
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            w={320}
          />
          <Button
            disabled={reason.trim().length < 3}
            loading={hold.isPending}
            onClick={() =>
              hold.mutate(
                { id: person.id, reason: reason.trim() },
                {
                  onSuccess: () => {
                    setPlacing(false);
                    setReason('');
                  },
                },
              )
            }
          >
            Place hold
          </Button>
        </Group>
      )}
      {hold.error && <Text c="red">{hold.error.message}</Text>}
    </Stack>
  );
}

function RetentionControl({ person, editable }: { person: MissingPerson; editable: boolean }) {
  const retention = useSetCaseRetention();
  const [days, setDays] = useState<string | number>(person.retentionDays ?? '');
  const save = (retentionDays: number | null) => retention.mutate({ id: person.id, retentionDays });
  return (
    <Group align="end">
      <NumberInput
        label="Keep for (days after closing)"
        placeholder={`${person.effectiveRetentionDays} (default)`}
        min={1}
        max={36500}
        value={days}
        onChange={setDays}
        disabled={!editable}
        w={220}
      />
      {editable && (
        <>
          <Button
            variant="default"
            loading={retention.isPending}
            disabled={typeof days !== 'number'}
            onClick={() => save(Number(days))}
          >
            Save retention
          </Button>
          {person.retentionDays !== null && (
            <Button
              variant="subtle"
              onClick={() => {
                setDays('');
                save(null);
              }}
            >
              Use the default
            </Button>
          )}
        </>
      )}
      {retention.error && <Text c="red">{retention.error.message}</Text>}
    </Group>
  );
}

/** The case's status, how long it is kept once closed, and its legal hold. */
export function CaseLifecyclePanel({
  person,
  editable,
}: {
  person: MissingPerson;
  editable: boolean;
}) {
  const status = useSetCaseStatus();
  return (
    <Paper withBorder p="md" radius="md">
      <Stack>
        <Title order={3}>Status and retention</Title>
        <SegmentedControl
          aria-label="Case status"
          data={statusOptions}
          value={person.status}
          disabled={!editable || status.isPending}
          onChange={(value) => status.mutate({ id: person.id, status: value as CaseStatus })}
          w="fit-content"
        />
        {status.error && <Text c="red">{status.error.message}</Text>}
        <RetentionNotice person={person} />
        <RetentionControl
          key={person.retentionDays ?? 'default'}
          person={person}
          editable={editable}
        />
        <LegalHoldControl person={person} editable={editable} />
      </Stack>
    </Paper>
  );
}
