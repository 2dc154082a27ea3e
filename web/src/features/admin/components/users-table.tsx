import {
  Alert,
  Badge,
  Button,
  Group,
  Pagination,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { ErrorState } from '../../../components/feedback/error-state';
import { PageLoader } from '../../../components/feedback/page-loader';
import { errorMessage } from '../../../lib/api-client';
import { useUser } from '../../../lib/auth';
import { formatDateTime } from '../../../lib/format';
import {
  USERS_PAGE_SIZE,
  useSignOutUser,
  useUpdateUser,
  useUsers,
  type AdminUser,
  type Role,
} from '../api/users';

export const ROLE_OPTIONS: { value: Role; label: string }[] = [
  { value: 'admin', label: 'Admin' },
  { value: 'investigator', label: 'Investigator' },
  { value: 'viewer', label: 'Viewer' },
];

function UserRow({ user, isSelf }: { user: AdminUser; isSelf: boolean }) {
  const update = useUpdateUser();
  const signOut = useSignOutUser();
  const disabled = user.disabledAt !== null;
  return (
    <Table.Tr aria-label={user.username}>
      <Table.Td>
        <Text size="sm" fw={500}>
          {user.username}
        </Text>
        <Text size="xs" c="dimmed">
          {user.email}
        </Text>
      </Table.Td>
      <Table.Td>
        <Select
          aria-label={`Role of ${user.username}`}
          data={ROLE_OPTIONS}
          value={user.role}
          allowDeselect={false}
          size="xs"
          w={140}
          disabled={update.isPending}
          onChange={(role) => role && update.mutate({ id: user.id, role: role as Role })}
        />
      </Table.Td>
      <Table.Td>
        {disabled ? (
          <Badge color="red" variant="light">
            Disabled
          </Badge>
        ) : (
          <Badge color="green" variant="light">
            Active
          </Badge>
        )}
      </Table.Td>
      <Table.Td>{user.lastSeenAt ? formatDateTime(user.lastSeenAt) : 'never'}</Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Button
            size="compact-xs"
            variant="light"
            color={disabled ? 'green' : 'red'}
            disabled={isSelf}
            loading={update.isPending && update.variables.disabled !== undefined}
            onClick={() => update.mutate({ id: user.id, disabled: !disabled })}
          >
            {disabled ? 'Enable' : 'Disable'}
          </Button>
          <Button
            size="compact-xs"
            variant="subtle"
            loading={signOut.isPending}
            onClick={() => signOut.mutate(user.id)}
          >
            Sign out everywhere
          </Button>
        </Group>
        {(update.error ?? signOut.error) && (
          <Text size="xs" c="red" role="alert">
            {errorMessage(update.error ?? signOut.error)}
          </Text>
        )}
        {signOut.isSuccess && (
          <Text size="xs" c="dimmed" role="status">
            Signed out everywhere
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** Every account: role, disable/enable, and "sign out everywhere". */
export function UsersTable() {
  const me = useUser();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [debounced] = useDebouncedValue(q, 300);
  const users = useUsers({ q: debounced, page });

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={3}>Users</Title>
        <TextInput
          aria-label="Find users"
          placeholder="Find by username or e-mail"
          value={q}
          onChange={(event) => {
            setQ(event.currentTarget.value);
            setPage(1);
          }}
          w={280}
        />
      </Group>
      <Alert color="gray" variant="light">
        Admins manage everything; investigators open cases, add footage and run searches; viewers
        only read the cases shared with them. Disabling a user signs them out at once.
      </Alert>
      {users.isPending && <PageLoader />}
      {users.isError && <ErrorState error={users.error} onRetry={() => void users.refetch()} />}
      {users.data && (
        <>
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>User</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Last seen</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {users.data.items.map((user) => (
                  <UserRow key={user.id} user={user} isSelf={user.id === me.data?.id} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {users.data.total > USERS_PAGE_SIZE && (
            <Pagination
              total={Math.ceil(users.data.total / USERS_PAGE_SIZE)}
              value={page}
              onChange={setPage}
            />
          )}
        </>
      )}
    </Stack>
  );
}
