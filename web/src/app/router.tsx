import { createBrowserRouter, RouterProvider } from 'react-router';
import { PageLoader } from '../components/feedback/page-loader';
import { LoginRoute } from './routes/auth/login';

// Pages load on first visit, so the login page does not wait for the player, charts and forms,
// nor for the signed-in frame around them.
const router = createBrowserRouter([
  { path: '/login', element: <LoginRoute /> },
  {
    path: '/register',
    lazy: () => import('./routes/auth/register').then((m) => ({ Component: m.RegisterRoute })),
  },
  {
    path: '/forgot-password',
    lazy: () =>
      import('./routes/auth/forgot-password').then((m) => ({ Component: m.ForgotPasswordRoute })),
  },
  {
    path: '/reset-password',
    lazy: () =>
      import('./routes/auth/reset-password').then((m) => ({ Component: m.ResetPasswordRoute })),
  },
  {
    path: '/confirm-email',
    lazy: () =>
      import('./routes/auth/confirm-email').then((m) => ({ Component: m.ConfirmEmailRoute })),
  },
  {
    path: '/accept-invitation',
    lazy: () =>
      import('./routes/auth/accept-invitation').then((m) => ({
        Component: m.AcceptInvitationRoute,
      })),
  },
  {
    path: '/',
    lazy: () => import('./routes/app-shell').then((m) => ({ Component: m.AppShellRoute })),
    hydrateFallbackElement: <PageLoader />,
    children: [
      {
        index: true,
        lazy: () => import('./routes/dashboard').then((m) => ({ Component: m.DashboardRoute })),
      },
      {
        path: 'searches',
        lazy: () => import('./routes/searches').then((m) => ({ Component: m.SearchesRoute })),
      },
      {
        path: 'searches/new',
        lazy: () => import('./routes/new-search').then((m) => ({ Component: m.NewSearchRoute })),
      },
      {
        path: 'searches/:searchId',
        lazy: () =>
          import('./routes/search-progress').then((m) => ({ Component: m.SearchProgressRoute })),
      },
      {
        path: 'searches/:searchId/results',
        lazy: () =>
          import('./routes/search-results').then((m) => ({ Component: m.SearchResultsRoute })),
      },
      {
        path: 'cases',
        lazy: () => import('./routes/cases').then((m) => ({ Component: m.CasesRoute })),
      },
      {
        path: 'cases/:caseId',
        lazy: () => import('./routes/case').then((m) => ({ Component: m.CaseRoute })),
      },
      {
        path: 'videos',
        lazy: () => import('./routes/videos').then((m) => ({ Component: m.VideosRoute })),
      },
      {
        path: 'videos/:videoId',
        lazy: () => import('./routes/video').then((m) => ({ Component: m.VideoRoute })),
      },
      {
        path: 'settings',
        lazy: () => import('./routes/settings').then((m) => ({ Component: m.SettingsRoute })),
      },
      {
        path: 'admin',
        lazy: () => import('./routes/admin').then((m) => ({ Component: m.AdminRoute })),
      },
      {
        path: '*',
        lazy: () => import('./routes/not-found').then((m) => ({ Component: m.NotFoundRoute })),
      },
    ],
  },
]);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
