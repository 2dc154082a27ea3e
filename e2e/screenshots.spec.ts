import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, signedInAdmin, signedInUser, test } from './support/fixtures.js';
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
