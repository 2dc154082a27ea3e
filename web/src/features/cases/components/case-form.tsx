import {
  Alert,
  Button,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { ApiError, errorMessage } from '../../../lib/api-client';
import type { CaseInput, CaseStatus, MissingPerson } from '../api/types';

interface CaseFormValues {
  firstName: string;
  lastName: string;
  age: number | string;
  gender: string | null;
  heightCm: number | string;
  weightKg: number | string;
  lastSeenLocation: string;
  lastSeenAt: string;
  notes: string;
  status: CaseStatus;
}

/** `2026-11-20T17:45:00.000Z` → the local `2026-11-20T18:45` a datetime-local input shows. */
function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

const optionalNumber = (value: number | string) =>
  value === '' || value === null ? null : Number(value);
const optionalText = (value: string | null) => (value && value.trim() ? value.trim() : null);

function toInput(values: CaseFormValues, withStatus: boolean): CaseInput {
  return {
    firstName: values.firstName.trim(),
    lastName: values.lastName.trim(),
    age: optionalNumber(values.age),
    gender: optionalText(values.gender),
    heightCm: optionalNumber(values.heightCm),
    weightKg: optionalNumber(values.weightKg),
    lastSeenLocation: optionalText(values.lastSeenLocation),
    lastSeenAt: values.lastSeenAt ? new Date(values.lastSeenAt).toISOString() : null,
    notes: optionalText(values.notes),
    ...(withStatus ? { status: values.status } : {}),
  };
}

interface CaseFormProps {
  initial?: MissingPerson;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (input: CaseInput) => Promise<unknown>;
  onCancel?: () => void;
}

/** The missing person's description; used to open a case and to edit it. */
export function CaseForm({
  initial,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: CaseFormProps) {
  const form = useForm<CaseFormValues>({
    initialValues: {
      firstName: initial?.firstName ?? '',
      lastName: initial?.lastName ?? '',
      age: initial?.age ?? '',
      gender: initial?.gender ?? null,
      heightCm: initial?.heightCm ?? '',
      weightKg: initial?.weightKg ?? '',
      lastSeenLocation: initial?.lastSeenLocation ?? '',
      lastSeenAt: toLocalInput(initial?.lastSeenAt ?? null),
      notes: initial?.notes ?? '',
      status: initial?.status ?? 'missing',
    },
    validateInputOnBlur: true,
    validate: {
      firstName: (v) =>
        v.trim() ? (v.length > 100 ? 'At most 100 characters' : null) : 'Enter the first name',
      lastName: (v) =>
        v.trim() ? (v.length > 100 ? 'At most 100 characters' : null) : 'Enter the last name',
      age: (v) => (v === '' || (Number(v) >= 0 && Number(v) <= 130) ? null : 'Between 0 and 130'),
      heightCm: (v) =>
        v === '' || (Number(v) > 0 && Number(v) <= 300) ? null : 'Between 1 and 300 cm',
      weightKg: (v) =>
        v === '' || (Number(v) > 0 && Number(v) <= 500) ? null : 'Between 1 and 500 kg',
      lastSeenAt: (v) =>
        v === '' || new Date(v).getTime() <= Date.now() ? null : 'This is in the future',
    },
  });

  const submit = form.onSubmit((values) => {
    onSubmit(toInput(values, Boolean(initial))).catch((failure: unknown) => {
      if (failure instanceof ApiError) form.setErrors(failure.fieldErrors());
    });
  });
  const fieldErrorsShown = error instanceof ApiError && Object.keys(error.fieldErrors()).length > 0;

  return (
    <form onSubmit={submit} noValidate aria-label="Missing person">
      <Stack>
        {error !== null && error !== undefined && !fieldErrorsShown && (
          <Alert color="red" role="alert">
            {errorMessage(error)}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="First name" required {...form.getInputProps('firstName')} />
          <TextInput label="Last name" required {...form.getInputProps('lastName')} />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          <NumberInput
            label="Age"
            min={0}
            max={130}
            allowDecimal={false}
            {...form.getInputProps('age')}
          />
          <Select
            label="Gender"
            data={['female', 'male', 'other']}
            clearable
            {...form.getInputProps('gender')}
          />
          <NumberInput label="Height (cm)" min={1} max={300} {...form.getInputProps('heightCm')} />
          <NumberInput label="Weight (kg)" min={1} max={500} {...form.getInputProps('weightKg')} />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Last seen at (place)" {...form.getInputProps('lastSeenLocation')} />
          <TextInput
            label="Last seen on"
            type="datetime-local"
            {...form.getInputProps('lastSeenAt')}
          />
        </SimpleGrid>
        <Textarea label="Notes" autosize minRows={2} maxRows={6} {...form.getInputProps('notes')} />
        {initial && (
          <Select
            label="Case status"
            data={[
              { value: 'missing', label: 'Missing' },
              { value: 'found', label: 'Found' },
              { value: 'closed', label: 'Closed' },
            ]}
            allowDeselect={false}
            {...form.getInputProps('status')}
          />
        )}
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={pending}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
