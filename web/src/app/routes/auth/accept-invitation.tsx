import { AuthLayout } from '../../../components/layouts/auth-layout';
import { AcceptInvitationForm } from '../../../features/auth/components/accept-invitation-form';

export function AcceptInvitationRoute() {
  return (
    <AuthLayout title="Join Missing Person Finder">
      <AcceptInvitationForm />
    </AuthLayout>
  );
}
