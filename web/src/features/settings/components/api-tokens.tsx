import {
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { ErrorState } from '../../../components/feedback/error-state';
import { PageLoader } from '../../../components/feedback/page-loader';
import { errorMessage } from '../../../lib/api-client';
import { formatDateTime } from '../../../lib/format';
import { useApiTokens, useCreateApiToken, useRevokeApiToken } from '../api/api-tokens';

const EXPIRY_CHOICES = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '180', label: '180 days' },
  { value: '365', label: '1 year' },
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
      {tokens.isPending && <PageLoader />}
      {tokens.isError && <ErrorState error={tokens.error} onRetry={() => void tokens.refetch()} />}
      {tokens.data && tokens.data.items.length === 0 && (
        <Text size="sm" c="dimmed">
          No token yet.
        </Text>
      )}
      {tokens.data && tokens.data.items.length > 0 && (
        <Table.ScrollContainer
          minWidth={420}
          // Focusable, so a keyboard user can scroll the table sideways on a phone.
          scrollAreaProps={{ viewportProps: { tabIndex: 0, 'aria-label': 'API tokens' } }}
        >
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.data.items.map((token) => (
                <Table.Tr key={token.id}>
                  <Table.Td>{token.name}</Table.Td>
                  <Table.Td>{formatDateTime(token.createdAt)}</Table.Td>
                  <Table.Td>
                    {token.lastUsedAt ? formatDateTime(token.lastUsedAt) : 'never'}
                  </Table.Td>
                  <Table.Td>{formatDateTime(token.expiresAt)}</Table.Td>
                  <Table.Td>
                    <Button
                      size="compact-xs"
                      color="red"
                      variant="subtle"
                      loading={revoke.isPending && revoke.variables === token.id}
                      onClick={() => revoke.mutate(token.id)}
                    >
                      Revoke
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
