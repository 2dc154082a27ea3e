import path from 'node:path';
import type { Page } from '@playwright/test';
import {
  caseWithPhoto,
  expect,
  signedInAdmin,
  signedInUser,
  test,
  uploadVideo,
} from './support/fixtures.js';
import { referencePhoto, searchFootage } from './support/media.js';
import { publicPages, signedInPages, viewports, type AppPage } from './support/pages.js';

/**
 * Refreshes docs/screenshots/ (the user guide's pictures): every page at desktop and phone size.
 * Run on purpose only: `SCREENSHOTS=1 npx playwright test -c e2e/playwright.config.ts
 * e2e/screenshots.spec.ts`.
 */
test.skip(!process.env.SCREENSHOTS, 'set SCREENSHOTS=1 to refresh docs/screenshots/');

const dir = path.resolve(import.meta.dirname, '../docs/screenshots');

async function shootAll(page: Page, pages: AppPage[]) {
  for (const [size, viewport] of Object.entries(viewports)) {
    await page.setViewportSize(viewport);
    for (const target of pages) {
      await page.goto(target.path);
      await expect(page.getByRole('heading', { name: target.heading }).first()).toBeVisible();
      await page.waitForTimeout(500);
      await page.screenshot({ path: path.join(dir, `${target.name}-${size}.png`) });
    }
  }
}

test('every page, at desktop and phone size, for the user guide', async ({ page }) => {
  await shootAll(page, publicPages);
  await shootAll(page, await signedInPages(page.request));
  // A new user's dashboard, with its getting-started guide, and the admin's page.
  await page.context().clearCookies();
  await signedInUser(page.request, 'newcomer');
  await shootAll(page, [{ name: 'dashboard-first-run', path: '/', heading: /Get started/ }]);
  await page.context().clearCookies();
  await signedInAdmin(page.request);
  await shootAll(page, [{ name: 'admin', path: '/admin', heading: /Administration/ }]);
});

test('a search that found the person, its results and its case, for the user guide', async ({
  page,
}) => {
  const user = await signedInUser(page.request, 'found');
  const headers = { 'x-csrf-token': user.csrfToken };
  const caseId = await caseWithPhoto(page.request, user, await referencePhoto());
  await page.request.put(`/api/missing-persons/${caseId}`, {
    headers,
    data: {
      firstName: 'Grace',
      lastName: 'Hopper',
      age: 34,
      gender: 'female',
      heightCm: 168,
      weightKg: 61,
      lastSeenLocation: 'Central station, platform 3',
      lastSeenAt: '2026-11-20T17:45:00.000Z',
      notes: 'Wears a navy coat and a red scarf',
    },
  });
  const videoIds = [
    await uploadVideo(page.request, user, await searchFootage(20), 'Platform 3 camera'),
    await uploadVideo(page.request, user, await searchFootage(8), 'Concourse camera'),
  ];
  const created = await page.request.post('/api/searches', {
    headers,
    data: { missingPersonId: caseId, videoIds, preset: 'fast' },
  });
  const searchId = ((await created.json()) as { id: string }).id;
  await expect
    .poll(
      async () =>
        ((await (await page.request.get(`/api/searches/${searchId}`)).json()) as { status: string })
          .status,
      { timeout: 120_000 },
    )
    .toBe('completed');
  for (const [size, viewport] of Object.entries(viewports)) {
    await page.setViewportSize(viewport);
    await page.goto(`/searches/${searchId}/results`);
    await page.getByTestId('timeline-bar').first().click();
    await expect(page.getByTestId('results-player')).toBeVisible();
    await page.waitForTimeout(800);
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({
      path: path.join(dir, `search-results-found-${size}.png`),
      fullPage: true,
    });
    await page.goto(`/cases/${caseId}`);
    await expect(page.getByTestId('case-sighting').first()).toBeVisible();
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(dir, `case-${size}.png`), fullPage: true });
  }
});
