import { Alert } from '@mantine/core';
import { Navigate, useSearchParams } from 'react-router';
import { PageLoader } from '../../../components/feedback/page-loader';
import { AuthLayout } from '../../../components/layouts/auth-layout';
import { paths } from '../../../config/paths';
import { useUser } from '../../../lib/auth';
import { LoginForm } from '../../../features/auth/components/login-form';

export function LoginRoute() {
  const user = useUser();
  const [params] = useSearchParams();
  if (user.isPending) return <PageLoader />;
  if (user.data) return <Navigate to={paths.home} replace />;
  return (
    <AuthLayout title="Sign in">
      {params.get('accountDeleted') && (
        <Alert color="green" role="status" mb="md">
          Your account was deleted. Thank you for using Missing Person Finder.
        </Alert>
      )}
      <LoginForm />
    </AuthLayout>
  );
}
