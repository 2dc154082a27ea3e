import { Alert, Anchor, Stack } from '@mantine/core';
import { Link } from 'react-router';
import { PageLoader } from '../../../components/feedback/page-loader';
import { AuthLayout } from '../../../components/layouts/auth-layout';
import { paths } from '../../../config/paths';
import { canSelfRegister, useAuthConfig } from '../../../features/auth/api/auth-config';
import { RegisterForm } from '../../../features/auth/components/register-form';

export function RegisterRoute() {
  const config = useAuthConfig();
  if (config.isPending) return <PageLoader />;
  if (config.data && !canSelfRegister(config.data)) {
    return (
      <AuthLayout title="Accounts are by invitation">
        <Stack>
          <Alert color="blue" role="status">
            On this server, accounts are created by invitation. Ask an administrator, or the owner
            of the case you help with, to invite you by e-mail.
          </Alert>
          <Anchor component={Link} to={paths.login}>
            Sign in
          </Anchor>
        </Stack>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title="Create your account">
      <Stack>
        {config.data?.firstRun && (
          <Alert color="blue" role="status">
            This is the first account of this server: it becomes the administrator.
          </Alert>
        )}
        <RegisterForm />
      </Stack>
    </AuthLayout>
  );
}
