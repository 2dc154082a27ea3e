import { Alert, Button, Code, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { ErrorState } from '../../../components/feedback/error-state';
import { PageLoader } from '../../../components/feedback/page-loader';
import { errorMessage } from '../../../lib/api-client';
import { formatDateTime } from '../../../lib/format';
import {
  useAlertSettings,
  useSetAlertSettings,
  type AlertSettings,
  type AlertSettingsInput,
} from '../api/alert-settings';

/** The form's text fields; an empty field removes the setting. */
export interface AlertFields {
  webhookUrl: string;
  email: string;
  /** `datetime-local` value, in the browser's time zone. */
  endsAt: string;
}

export const emptyAlertFields: AlertFields = { webhookUrl: '', email: '', endsAt: '' };

const pad = (n: number) => String(n).padStart(2, '0');
const toLocalInput = (iso: string | null) => {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

/** What the API takes for the fields: blanks become null (removed). */
export const alertInputOf = (fields: AlertFields): AlertSettingsInput => ({
  webhookUrl: fields.webhookUrl.trim() || null,
  email: fields.email.trim() || null,
  endsAt: fields.endsAt ? new Date(fields.endsAt).toISOString() : null,
});

export const hasAlertFields = (fields: AlertFields) =>
  Boolean(fields.webhookUrl.trim() || fields.email.trim() || fields.endsAt);

const fieldsOf = (settings: AlertSettings): AlertFields => ({
  webhookUrl: settings.webhookUrl ?? '',
  email: settings.email ?? '',
  endsAt: toLocalInput(settings.endsAt),
});

/** Webhook URL, e-mail address and end time of a live search, as controlled inputs. */
export function AlertFieldsInput({
  value,
  onChange,
  disabled = false,
}: {
  value: AlertFields;
  onChange: (fields: AlertFields) => void;
  disabled?: boolean;
}) {
  const set = (key: keyof AlertFields) => (event: React.ChangeEvent<HTMLInputElement>) =>
    onChange({ ...value, [key]: event.currentTarget.value });
  return (
    <Stack gap="sm">
      <TextInput
        label="Webhook URL"
        description="Each match is POSTed here as JSON, signed with X-MPF-Signature"
        placeholder="https://alerts.example.org/mpf"
        type="url"
        value={value.webhookUrl}
        onChange={set('webhookUrl')}
        disabled={disabled}
      />
      <TextInput
        label="Alert e-mail"
        description="Each match is mailed to this address"
        placeholder="duty-officer@example.org"
        type="email"
        value={value.email}
        onChange={set('email')}
        disabled={disabled}
      />
      <TextInput
        label="Stop live analysis at"
        description="Leave empty to run until the search is cancelled"
        type="datetime-local"
        value={value.endsAt}
        onChange={set('endsAt')}
        disabled={disabled}
      />
    </Stack>
  );
}

/** The alert settings of an existing live search; read-only for a viewer of a shared case. */
export function AlertSettingsPanel({
  searchId,
  editable,
}: {
  searchId: string;
  editable: boolean;
}) {
  const settings = useAlertSettings(searchId);
  const save = useSetAlertSettings();
  const [fields, setFields] = useState<AlertFields | null>(null);

  if (settings.isPending) return <PageLoader />;
  if (settings.isError) return <ErrorState error={settings.error} />;
  const shown = fields ?? fieldsOf(settings.data);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ searchId, input: alertInputOf(shown) }, { onSuccess: () => setFields(null) });
  };

  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-label="Alerts">
      <Title order={3} size="h5" mb="xs">
        Alerts
      </Title>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <AlertFieldsInput value={shown} onChange={setFields} disabled={!editable} />
          {settings.data.endsAt && (
            <Text size="xs" c="dimmed">
              Live analysis stops {formatDateTime(settings.data.endsAt)}.
            </Text>
          )}
          {settings.data.webhookSecret && (
            <Text size="xs">
              Signing secret: <Code>{settings.data.webhookSecret}</Code>
            </Text>
          )}
          {save.isError && <Alert color="red">{errorMessage(save.error)}</Alert>}
          {editable && (
            <Group justify="flex-end">
              <Button type="submit" size="xs" loading={save.isPending} disabled={!fields}>
                Save alerts
              </Button>
            </Group>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
