import { Paper, Stack } from '@mantine/core';
import { Navigate } from 'react-router';
import { PageLoader } from '../../components/feedback/page-loader';
import { PageHeader } from '../../components/layouts/page-header';
import { paths } from '../../config/paths';
import { InvitationsPanel } from '../../features/admin/components/invitations-panel';
import { UsersTable } from '../../features/admin/components/users-table';
import { useUser } from '../../lib/auth';

export function AdminRoute() {
  const user = useUser();
  if (!user.data) return <PageLoader />;
  if (user.data.role !== 'admin') return <Navigate to={paths.home} replace />;
  return (
    <Stack>
      <PageHeader title="Administration" description="Who can use this server, and how" />
      <Paper withBorder p="md" radius="md">
        <UsersTable />
      </Paper>
      <Paper withBorder p="md" radius="md">
        <InvitationsPanel />
      </Paper>
    </Stack>
  );
}
