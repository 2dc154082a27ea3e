import {
  ActionIcon,
  Alert,
  Button,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState, type FormEvent } from 'react';
import { ErrorState } from '../../../components/feedback/error-state';
import { PageLoader } from '../../../components/feedback/page-loader';
import { errorMessage } from '../../../lib/api-client';
import { useMembers, useRevokeMember, useShareCase } from '../api/case-members';
import type { MemberRole } from '../api/types';

const roleChoices = [
  { value: 'viewer', label: 'Viewer' },
  { value: 'editor', label: 'Editor' },
];

/** The members of a case: change a role or revoke access at once (owner only). */
function MembersTable({ caseId }: { caseId: string }) {
  const members = useMembers(caseId);
  const share = useShareCase();
  const revoke = useRevokeMember();
  if (members.isPending) return <PageLoader />;
  if (members.isError) return <ErrorState error={members.error} />;
  return (
    <Stack gap="xs">
      <Table aria-label="Members">
        <Table.Tbody>
          {members.data.items.map((member) => (
            <Table.Tr key={member.userId} data-testid={`member-${member.username}`}>
              <Table.Td>
                <Text size="sm">{member.displayName ?? member.username}</Text>
                <Text size="xs" c="dimmed">
                  {member.email ?? member.username}
                </Text>
              </Table.Td>
              <Table.Td w={140}>
                {member.role === 'owner' ? (
                  <Text size="sm">Owner</Text>
                ) : (
                  <Select
                    size="xs"
                    aria-label={`Role of ${member.username}`}
                    data={roleChoices}
                    value={member.role}
                    allowDeselect={false}
                    onChange={(role) =>
                      role &&
                      share.mutate({ caseId, who: member.username, role: role as MemberRole })
                    }
                  />
                )}
              </Table.Td>
              <Table.Td w={40}>
                {member.role !== 'owner' && (
                  <Tooltip label="Revoke access">
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={`Revoke ${member.username}`}
                      loading={revoke.isPending && revoke.variables.userId === member.userId}
                      onClick={() => revoke.mutate({ caseId, userId: member.userId })}
                    >
                      ✕
                    </ActionIcon>
                  </Tooltip>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {(share.isError || revoke.isError) && (
        <Alert color="red">{errorMessage(share.error ?? revoke.error)}</Alert>
      )}
    </Stack>
  );
}

/** The Share button of a case and its dialog: add someone by e-mail or username, with a role. */
export function ShareCaseDialog({ caseId, name }: { caseId: string; name: string }) {
  const [opened, { open, close }] = useDisclosure(false);
  const [who, setWho] = useState('');
  const [role, setRole] = useState<MemberRole>('viewer');
  const share = useShareCase();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    share.mutate({ caseId, who: who.trim(), role }, { onSuccess: () => setWho('') });
  };

  return (
    <>
      <Button variant="default" onClick={open}>
        Share
      </Button>
      <Modal opened={opened} onClose={close} title={`Share the case of ${name}`} size="lg">
        <Stack>
          <form onSubmit={submit}>
            <Group align="flex-end" wrap="nowrap">
              <TextInput
                label="E-mail or username"
                placeholder="volunteer@example.org"
                value={who}
                onChange={(event) => setWho(event.currentTarget.value)}
                required
                style={{ flex: 1 }}
              />
              <Select
                label="Role"
                data={roleChoices}
                value={role}
                allowDeselect={false}
                onChange={(value) => value && setRole(value as MemberRole)}
                w={130}
                comboboxProps={{ withinPortal: true }}
              />
              <Button type="submit" loading={share.isPending}>
                Add
              </Button>
            </Group>
          </form>
          {share.isError && <Alert color="red">{errorMessage(share.error)}</Alert>}
          {share.data && 'invited' in share.data && (
            <Alert color="green">
              Invitation sent to {share.data.invited}. They join the case as {share.variables.role}{' '}
              once they accept it and create their account.
            </Alert>
          )}
          <Text size="sm" c="dimmed">
            Viewers see the case, its photos, its searches and the footage those searches use;
            editors also change the case and run searches. Footage stays its uploader&apos;s.
            Revoking takes effect at once.
          </Text>
          <MembersTable caseId={caseId} />
        </Stack>
      </Modal>
    </>
  );
}
