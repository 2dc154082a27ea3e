import { createBrowserRouter, RouterProvider } from 'react-router';
import { AppLayout } from '../components/layouts/app-layout';
import { ProtectedRoute } from '../lib/auth';
import { ForgotPasswordRoute } from './routes/auth/forgot-password';
import { LoginRoute } from './routes/auth/login';
import { RegisterRoute } from './routes/auth/register';
import { ResetPasswordRoute } from './routes/auth/reset-password';
import { CaseRoute } from './routes/case';
import { CasesRoute } from './routes/cases';
import { DashboardRoute } from './routes/dashboard';
import { NewSearchRoute } from './routes/new-search';
import { NotFoundRoute } from './routes/not-found';
import { SearchProgressRoute } from './routes/search-progress';
import { SearchResultsRoute } from './routes/search-results';
import { SearchesRoute } from './routes/searches';
import { SettingsRoute } from './routes/settings';
import { VideoRoute } from './routes/video';
import { VideosRoute } from './routes/videos';

const router = createBrowserRouter([
  { path: '/login', element: <LoginRoute /> },
  { path: '/register', element: <RegisterRoute /> },
  { path: '/forgot-password', element: <ForgotPasswordRoute /> },
  { path: '/reset-password', element: <ResetPasswordRoute /> },
  {
    path: '/',
    element: (
      <ProtectedRoute>
        <AppLayout />
      </ProtectedRoute>
    ),
    children: [
      { index: true, element: <DashboardRoute /> },
      { path: 'searches', element: <SearchesRoute /> },
      { path: 'searches/new', element: <NewSearchRoute /> },
      { path: 'searches/:searchId', element: <SearchProgressRoute /> },
      { path: 'searches/:searchId/results', element: <SearchResultsRoute /> },
      { path: 'cases', element: <CasesRoute /> },
      { path: 'cases/:caseId', element: <CaseRoute /> },
      { path: 'videos', element: <VideosRoute /> },
      { path: 'videos/:videoId', element: <VideoRoute /> },
      { path: 'settings', element: <SettingsRoute /> },
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
]);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
