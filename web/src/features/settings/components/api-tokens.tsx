import {
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { DataList, RowAction, type DataListColumn } from '../../../components/data-list/data-list';
import { errorMessage } from '../../../lib/api-client';
import { formatDateTime } from '../../../lib/format';
import {
  useApiTokens,
  useCreateApiToken,
  useRevokeApiToken,
  type ApiToken,
} from '../api/api-tokens';

const EXPIRY_CHOICES = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '180', label: '180 days' },
  { value: '365', label: '1 year' },
];

const tokenColumns = (revoke: ReturnType<typeof useRevokeApiToken>): DataListColumn<ApiToken>[] => [
  { header: 'Name', cell: (token) => token.name },
  { header: 'Created', cell: (token) => formatDateTime(token.createdAt) },
  {
    header: 'Last used',
    cell: (token) => (token.lastUsedAt ? formatDateTime(token.lastUsedAt) : 'never'),
  },
  { header: 'Expires', cell: (token) => formatDateTime(token.expiresAt) },
  {
    header: '',
    cell: (token) => (
      <RowAction action={revoke} id={token.id}>
        Revoke
      </RowAction>
    ),
  },
];

/** Tokens for scripts calling the API; a new token's secret is shown once and expires. */
export function ApiTokens() {
  const tokens = useApiTokens();
  const create = useCreateApiToken();
  const revoke = useRevokeApiToken();
  const [name, setName] = useState('');
  const [days, setDays] = useState<string | null>('90');

  return (
    <Stack>
      <Title order={3}>API tokens</Title>
      <Text size="sm" c="dimmed">
        Scripts send <Code>Authorization: Bearer &lt;token&gt;</Code>; the API is described at{' '}
        <a href="/api/openapi.json">/api/openapi.json</a>. A password reset revokes every token.
      </Text>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!name.trim()) return;
          const input = { name: name.trim(), expiresInDays: Number(days ?? 90) };
          create.mutate(input, { onSuccess: () => setName('') });
        }}
      >
        <Group align="flex-end" gap="sm">
          <TextInput
            label="New token name"
            placeholder="nightly import script"
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            style={{ flex: 1 }}
          />
          <Select
            label="Expires after"
            data={EXPIRY_CHOICES}
            value={days}
            onChange={setDays}
            allowDeselect={false}
            w={140}
          />
          <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
            Create token
          </Button>
        </Group>
      </form>
      {create.error && <Alert color="red">{errorMessage(create.error)}</Alert>}
      {create.data && (
        <Alert color="green" title="Copy this token now: it will not be shown again">
          <Group gap="xs" wrap="nowrap">
            <Code style={{ wordBreak: 'break-all' }}>{create.data.token}</Code>
            <CopyButton value={create.data.token}>
              {({ copied, copy }) => (
                <Button size="compact-xs" variant="light" onClick={copy}>
                  {copied ? 'Copied' : 'Copy'}
                </Button>
              )}
            </CopyButton>
          </Group>
        </Alert>
      )}
      <DataList
        label="API tokens"
        query={tokens}
        columns={tokenColumns(revoke)}
        minWidth={420}
        look={{}}
        empty="No token yet."
      />
    </Stack>
  );
}
