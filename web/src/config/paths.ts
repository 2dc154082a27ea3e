/** Every client route in one place, so links and redirects cannot drift apart. */
export const paths = {
  home: '/',
  login: '/login',
  register: '/register',
  forgotPassword: '/forgot-password',
  resetPassword: '/reset-password',
  acceptInvitation: '/accept-invitation',
  newSearch: '/searches/new',
  searches: '/searches',
  search: (id: string) => `/searches/${id}`,
  results: (id: string) => `/searches/${id}/results`,
  cases: '/cases',
  case: (id: string) => `/cases/${id}`,
  videos: '/videos',
  video: (id: string) => `/videos/${id}`,
  settings: '/settings',
  admin: '/admin',
} as const;

/** Only same-app paths may be redirect targets, never another origin. */
export function safeRedirect(target: string | null): string {
  return target && target.startsWith('/') && !target.startsWith('//') ? target : paths.home;
}
