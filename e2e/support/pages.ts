import type { APIRequestContext } from '@playwright/test';
import { caseWithPhoto, expect, signedInUser, uploadVideo } from './fixtures.js';
import { emptyFootage, referencePhoto } from './media.js';

export interface AppPage {
  name: string;
  path: string;
  /** A heading that shows the page has loaded. */
  heading: RegExp;
}

/** Pages anyone sees before signing in. */
export const publicPages: AppPage[] = [
  { name: 'login', path: '/login', heading: /Sign in/ },
  { name: 'register', path: '/register', heading: /Create your account/ },
  { name: 'forgot-password', path: '/forgot-password', heading: /password/i },
];

/**
 * Signs a new user in and gives them one of everything (a case with a photo, a video, a finished
 * search), so every signed-in page has content; returns those pages.
 */
export async function signedInPages(request: APIRequestContext): Promise<AppPage[]> {
  const user = await signedInUser(request, 'pages');
  const caseId = await caseWithPhoto(request, user, await referencePhoto());
  const videoId = await uploadVideo(request, user, await emptyFootage(1), 'Lobby camera');
  const created = await request.post('/api/searches', {
    headers: { 'x-csrf-token': user.csrfToken },
    data: { missingPersonId: caseId, videoIds: [videoId], preset: 'fast' },
  });
  expect(created.status(), await created.text()).toBe(201);
  const searchId = ((await created.json()) as { id: string }).id;
  await expect
    .poll(
      async () =>
        ((await (await request.get(`/api/searches/${searchId}`)).json()) as { status: string })
          .status,
      { timeout: 90_000 },
    )
    .toBe('completed');
  return [
    { name: 'dashboard', path: '/', heading: /Dashboard/ },
    { name: 'new-search', path: '/searches/new', heading: /New search/ },
    { name: 'searches', path: '/searches', heading: /^Searches/ },
    { name: 'search-progress', path: `/searches/${searchId}`, heading: /Search for Grace Hopper/ },
    { name: 'search-results', path: `/searches/${searchId}/results`, heading: /Results for/ },
    { name: 'cases', path: '/cases', heading: /^Cases/ },
    { name: 'case', path: `/cases/${caseId}`, heading: /Grace Hopper/ },
    { name: 'videos', path: '/videos', heading: /^Footage/ },
    { name: 'video', path: `/videos/${videoId}`, heading: /Lobby camera/ },
    { name: 'settings', path: '/settings', heading: /Settings/ },
    { name: 'not-found', path: '/no-such-page', heading: /does not exist/ },
  ];
}

export const viewports = {
  desktop: { width: 1366, height: 900 },
  phone: { width: 390, height: 844 },
} as const;
