import { AppLayout } from '../../components/layouts/app-layout';
import { ProtectedRoute } from '../protected-route';

/** The signed-in pages' frame (header, navigation), loaded after sign-in rather than with it. */
export function AppShellRoute() {
  return (
    <ProtectedRoute>
      <AppLayout />
    </ProtectedRoute>
  );
}
