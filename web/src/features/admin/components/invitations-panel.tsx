import { Alert, Button, Group, Select, Stack, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import {
  DataList,
  RowAction,
  StatusBadge,
  type DataListColumn,
} from '../../../components/data-list/data-list';
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

const invitationColumns = (
  revoke: ReturnType<typeof useRevokeInvitation>,
): DataListColumn<Invitation>[] => [
  { header: 'E-mail', cell: (invitation) => invitation.email },
  { header: 'Role', cell: (invitation) => invitation.role },
  {
    header: 'Status',
    cell: (invitation) => <StatusBadge status={invitation.status} colors={statusColor} />,
  },
  { header: 'Invited by', cell: (invitation) => invitation.invitedBy ?? '—' },
  { header: 'Expires', cell: (invitation) => formatDateTime(invitation.expiresAt) },
  {
    header: '',
    cell: (invitation) =>
      invitation.status === 'pending' && (
        <RowAction action={revoke} id={invitation.id}>
          Revoke
        </RowAction>
      ),
  },
];

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
      <DataList
        label="Invitations"
        query={invitations}
        columns={invitationColumns(revoke)}
        minWidth={640}
        look={{ verticalSpacing: 'xs' }}
        rowLabel={(invitation) => invitation.email}
        empty="No invitation yet."
      />
    </Stack>
  );
}
