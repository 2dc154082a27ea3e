import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';

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
export async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  const original = page.viewportSize() ?? { width: 1280, height: 800 };
  await page.screenshot({ path: path.join(screenshotDir, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(screenshotDir, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(original);
  await page.waitForTimeout(200);
}

/** The hidden file input of the photo drop zone, and of the video drop zone. */
export const photoInput = (page: Page) => page.locator('input[type=file][accept*="image/"]');
export const videoInput = (page: Page) => page.locator('input[type=file][accept*="video/"]');
