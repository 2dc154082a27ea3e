import type { Page } from '@playwright/test';
import { expect, signedInUser, test } from './support/fixtures.js';
import { viewports } from './support/pages.js';

/** The app's own scripts the page fetched, by file name, with their size in bytes. */
function scriptsOf(page: Page): Map<string, number> {
  const scripts = new Map<string, number>();
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (!url.pathname.startsWith('/assets/') || !url.pathname.endsWith('.js')) return;
    void response.body().then((body) => scripts.set(url.pathname.slice(8), body.length));
  });
  return scripts;
}

/** Chunks of the signed-in app, named after their route or feature by the build. */
const signedInCode =
  /^(app-shell|dashboard|new-search|search-progress|search-results|searches|cases?|videos?|settings|admin|hls|video-player)-/;

test('the login page loads only what it needs: no signed-in page, frame or video player', async ({
  page,
}) => {
  const scripts = scriptsOf(page);
  await page.goto('/login');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  const names = [...scripts.keys()];
  const total = [...scripts.values()].reduce((sum, size) => sum + size, 0);
  console.log(`login page scripts: ${names.join(', ')} = ${Math.round(total / 1000)} kB`);
  expect(names.filter((name) => signedInCode.test(name))).toEqual([]);
  // React, its router, Mantine's core and the query cache: less than the 509 kB the login page
  // loaded when the whole signed-in frame came with it (493 kB measured on 2026-12-08).
  expect(total).toBeLessThan(500_000);

  // Signing in fetches the frame and the dashboard then.
  await signedInUser(page.request, 'bundle');
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  expect([...scripts.keys()].filter((name) => signedInCode.test(name)).length).toBeGreaterThan(1);
});

for (const [size, viewport] of Object.entries(viewports)) {
  test(`while a page's code loads, screen readers hear it and a bar shows it, on a ${size}`, async ({
    page,
  }) => {
    await page.setViewportSize(viewport);
    await signedInUser(page.request, 'loading');
    // A slow network: the first page's frame and the Cases page each take a second to arrive.
    await page.route(/\/assets\/(app-shell|cases)-[^/]*\.js$/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await route.continue();
    });
    await page.goto('/', { waitUntil: 'commit' });
    await expect(page.getByRole('status').filter({ hasText: 'Loading…' })).toBeAttached();
    await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

    if (size === 'phone') await page.getByRole('button', { name: 'Toggle navigation' }).click();
    await page.getByRole('link', { name: 'Cases', exact: true }).click();
    await expect(page.getByTestId('page-loading')).toHaveText('Loading page…');
    await expect(page.getByRole('progressbar', { name: 'Loading page' })).toBeVisible();
    await expect(page.getByRole('heading', { name: /^Cases/ })).toBeVisible();
    await expect(page.getByTestId('page-loading')).toHaveText('');
  });
}
