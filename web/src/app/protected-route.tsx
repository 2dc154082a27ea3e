import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { PageLoader } from '../components/feedback/page-loader';
import { loginPathFor, useUser } from '../lib/auth';

/** Pages behind sign-in: a visitor without a session goes to the login page and comes back. */
export function ProtectedRoute({ children }: { children: ReactNode }) {
  const user = useUser();
  const location = useLocation();
  if (user.isPending) return <PageLoader />;
  if (!user.data) return <Navigate to={loginPathFor(location)} replace />;
  return children;
}
