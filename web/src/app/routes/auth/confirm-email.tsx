import { AuthLayout } from '../../../components/layouts/auth-layout';
import { ConfirmEmail } from '../../../features/settings/components/confirm-email';

export function ConfirmEmailRoute() {
  return (
    <AuthLayout title="Confirm an e-mail address">
      <ConfirmEmail />
    </AuthLayout>
  );
}
