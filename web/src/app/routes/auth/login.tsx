import { Navigate } from 'react-router';
import { PageLoader } from '../../../components/feedback/page-loader';
import { AuthLayout } from '../../../components/layouts/auth-layout';
import { paths } from '../../../config/paths';
import { useUser } from '../../../lib/auth';
import { LoginForm } from '../../../features/auth/components/login-form';

export function LoginRoute() {
  const user = useUser();
  if (user.isPending) return <PageLoader />;
  if (user.data) return <Navigate to={paths.home} replace />;
  return (
    <AuthLayout title="Sign in">
      <LoginForm />
    </AuthLayout>
  );
}
