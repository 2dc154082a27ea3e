import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';
import { E2E_ADMIN } from './admin.js';

export { expect };

/** Every test talks to the server that global-setup.ts started. */
export const test = base.extend({
  // Playwright reads a fixture's dependencies from this (empty) destructuring pattern.
  // eslint-disable-next-line no-empty-pattern
  baseURL: async ({}, use) => {
    const url = process.env.E2E_BASE_URL;
    if (!url) throw new Error('E2E_BASE_URL is not set: run through `npm run test:e2e`');
    await use(url);
  },
});

export const PASSWORD = 'lantern-orchard-47';
let counter = 0;

export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}`;
}

/**
 * Registers and signs in through the API with the page's own request context, so the browser
 * holds the session cookie as if the person had typed it in.
 */
export async function signedInUser(request: APIRequestContext, prefix = 'user') {
  const username = uniqueName(prefix);
  const register = await request.post('/api/auth/register', {
    data: { username, email: `${username}@example.com`, password: PASSWORD },
  });
  expect(register.status(), await register.text()).toBe(201);
  const login = await request.post('/api/auth/login', { data: { username, password: PASSWORD } });
  expect(login.status()).toBe(200);
  const body = (await login.json()) as { token: string; csrfToken: string; user: { id: string } };
  return { username, ...body };
}

const screenshotDir = path.resolve(import.meta.dirname, '../../test-results/screenshots');

/** Saves the page at desktop and phone widths: test-results/screenshots/<name>-{desktop,phone}.png. */
export async function shoot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  const original = page.viewportSize() ?? { width: 1280, height: 800 };
  // From the top, or the fixed header is drawn across the middle of a full-page shot.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: path.join(screenshotDir, `${name}-desktop.png`), fullPage });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: path.join(screenshotDir, `${name}-phone.png`), fullPage });
  await page.setViewportSize(original);
  await page.waitForTimeout(200);
}

/** The hidden file input of the photo drop zone, and of the video drop zone. */
export const photoInput = (page: Page) => page.locator('input[type=file][accept*="image/"]');
export const videoInput = (page: Page) => page.locator('input[type=file][accept*="video/"]');

export type SignedInUser = Awaited<ReturnType<typeof signedInUser>>;

const csrf = (user: SignedInUser) => ({ 'x-csrf-token': user.csrfToken });

/** A case (Grace Hopper) with one enrolled photo, made over the API with the browser's session. */
export async function caseWithPhoto(
  request: APIRequestContext,
  user: SignedInUser,
  photo: string,
): Promise<string> {
  const created = await request.post('/api/missing-persons', {
    headers: csrf(user),
    data: { firstName: 'Grace', lastName: 'Hopper' },
  });
  expect(created.status(), await created.text()).toBe(201);
  const caseId = ((await created.json()) as { id: string }).id;
  const enrolled = await request.post(`/api/missing-persons/${caseId}/photos`, {
    headers: csrf(user),
    // The first check of a fresh server loads the face model: far over 20 s on a busy machine.
    timeout: 90_000,
    multipart: {
      photos: { name: 'grace.jpg', mimeType: 'image/jpeg', buffer: readFileSync(photo) },
    },
  });
  expect(enrolled.status(), await enrolled.text()).toBeLessThan(300);
  return caseId;
}

/** A video file uploaded to the library; returns its id. */
export async function uploadVideo(
  request: APIRequestContext,
  user: SignedInUser,
  file: string,
  title = 'Concourse camera',
): Promise<string> {
  const video = await request.post('/api/videos', {
    headers: csrf(user),
    timeout: 60_000,
    multipart: {
      title,
      file: { name: path.basename(file), mimeType: 'video/mp4', buffer: readFileSync(file) },
    },
  });
  expect(video.status(), await video.text()).toBe(201);
  return ((await video.json()) as { id: string }).id;
}

/**
 * A case with an enrolled photo, a video and a search on it, made over the API with the browser's
 * session (cookie + CSRF header), for tests that start on the progress page.
 */
export async function searchReadyToWatch(
  request: APIRequestContext,
  user: SignedInUser,
  files: { photo: string; video: string; preset?: 'fast' | 'balanced' | 'thorough' },
): Promise<{ searchId: string; caseId: string; videoId: string }> {
  const caseId = await caseWithPhoto(request, user, files.photo);
  const videoId = await uploadVideo(request, user, files.video);
  const search = await request.post('/api/searches', {
    headers: csrf(user),
    data: { missingPersonId: caseId, videoIds: [videoId], preset: files.preset ?? 'balanced' },
  });
  expect(search.status(), await search.text()).toBe(201);
  return { searchId: ((await search.json()) as { id: string }).id, caseId, videoId };
}

/** Signs the page's request context in as the admin that global-setup.ts registered first. */
export async function signedInAdmin(request: APIRequestContext) {
  const login = await request.post('/api/auth/login', { data: E2E_ADMIN });
  expect(login.status(), await login.text()).toBe(200);
  return (await login.json()) as { token: string; csrfToken: string; user: { id: string } };
}

/** Undoes quoted-printable soft breaks and escapes, so a mailed link reads as sent. */
const decodeQuotedPrintable = (text: string) =>
  text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** The newest mail to `address` in the server's outbox, decoded; waits for it to be written. */
export async function mailTo(address: string): Promise<string> {
  const outbox = path.join(process.env.E2E_DATA_DIR ?? '', 'outbox');
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const files = existsSync(outbox)
      ? readdirSync(outbox)
          .filter((file) => file.endsWith('.eml'))
          .sort()
      : [];
    const mails = files
      .map((file) => decodeQuotedPrintable(readFileSync(path.join(outbox, file), 'utf8')))
      .filter((mail) => mail.includes(`To: ${address}`));
    if (mails.length > 0) return mails[mails.length - 1]!;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no mail to ${address} in ${outbox}`);
}
