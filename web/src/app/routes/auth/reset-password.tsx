import { AuthLayout } from '../../../components/layouts/auth-layout';
import { ResetPasswordForm } from '../../../features/auth/components/reset-password-form';

export function ResetPasswordRoute() {
  return (
    <AuthLayout title="Choose a new password">
      <ResetPasswordForm />
    </AuthLayout>
  );
}
