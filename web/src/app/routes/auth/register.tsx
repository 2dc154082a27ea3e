import { AuthLayout } from '../../../components/layouts/auth-layout';
import { RegisterForm } from '../../../features/auth/components/register-form';

export function RegisterRoute() {
  return (
    <AuthLayout title="Create your account">
      <RegisterForm />
    </AuthLayout>
  );
}
