import {
  Alert,
  Badge,
  Button,
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
import {
  useCreateInvitation,
  useInvitations,
  useRevokeInvitation,
  type Invitation,
} from '../api/invitations';
import type { Role } from '../api/users';
import { ROLE_OPTIONS } from './users-table';

const statusColor: Record<Invitation['status'], string> = {
  pending: 'blue',
  accepted: 'green',
  revoked: 'gray',
  expired: 'yellow',
};

/** Invite someone by e-mail with a role; pending invitations can be revoked. */
export function InvitationsPanel() {
  const invitations = useInvitations();
  const create = useCreateInvitation();
  const revoke = useRevokeInvitation();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('investigator');

  return (
    <Stack>
      <Title order={3}>Invitations</Title>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (email.trim())
            create.mutate({ email: email.trim(), role }, { onSuccess: () => setEmail('') });
        }}
      >
        <Group align="flex-end" gap="sm">
          <TextInput
            label="E-mail to invite"
            type="email"
            placeholder="volunteer@example.org"
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            style={{ flex: 1, minWidth: 220 }}
          />
          <Select
            label="Invite as"
            data={ROLE_OPTIONS}
            value={role}
            allowDeselect={false}
            onChange={(value) => value && setRole(value as Role)}
            w={160}
          />
          <Button type="submit" loading={create.isPending} disabled={!email.trim()}>
            Invite
          </Button>
        </Group>
      </form>
      {create.error && (
        <Alert color="red" role="alert">
          {errorMessage(create.error)}
        </Alert>
      )}
      {create.data && (
        <Alert color="green" role="status">
          Invitation sent to {create.data.email}. The link in the e-mail works once.
        </Alert>
      )}
      {invitations.isPending && <PageLoader />}
      {invitations.isError && (
        <ErrorState error={invitations.error} onRetry={() => void invitations.refetch()} />
      )}
      {invitations.data && invitations.data.items.length === 0 && (
        <Text size="sm" c="dimmed">
          No invitation yet.
        </Text>
      )}
      {invitations.data && invitations.data.items.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>E-mail</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Invited by</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {invitations.data.items.map((invitation) => (
                <Table.Tr key={invitation.id} aria-label={invitation.email}>
                  <Table.Td>{invitation.email}</Table.Td>
                  <Table.Td>{invitation.role}</Table.Td>
                  <Table.Td>
                    <Badge color={statusColor[invitation.status]} variant="light">
                      {invitation.status}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{invitation.invitedBy ?? '—'}</Table.Td>
                  <Table.Td>{formatDateTime(invitation.expiresAt)}</Table.Td>
                  <Table.Td>
                    {invitation.status === 'pending' && (
                      <Button
                        size="compact-xs"
                        color="red"
                        variant="subtle"
                        loading={revoke.isPending && revoke.variables === invitation.id}
                        onClick={() => revoke.mutate(invitation.id)}
                      >
                        Revoke
                      </Button>
                    )}
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
