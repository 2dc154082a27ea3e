import type { Page } from '@playwright/test';
import { axeViolations as violations } from './support/axe.js';
import { expect, test } from './support/fixtures.js';
import { publicPages, signedInPages, viewports, type AppPage } from './support/pages.js';

async function check(page: Page, pages: AppPage[]) {
  const found: string[] = [];
  for (const [size, viewport] of Object.entries(viewports)) {
    await page.setViewportSize(viewport);
    for (const target of pages) {
      await page.goto(target.path);
      await expect(page.getByRole('heading', { name: target.heading }).first()).toBeVisible();
      // Each page names the tab after itself.
      await expect(page).toHaveTitle(/ · Missing Person Finder$/);
      if (target.name === 'search-progress') {
        // New matches are announced, not only drawn.
        await expect(page.getByTestId('match-announcer')).toHaveAttribute('aria-live', 'polite');
        await expect(page.getByTestId('match-announcer')).toHaveText('0 matches found so far');
      }
      for (const line of await violations(page)) found.push(`${target.name} ${size}: ${line}`);
    }
  }
  expect(found).toEqual([]);
}

test('the pages before sign-in pass axe (WCAG 2.2 AA) at desktop and phone sizes', async ({
  page,
}) => {
  await check(page, publicPages);
});

test('every signed-in page passes axe (WCAG 2.2 AA) at desktop and phone sizes', async ({
  page,
}) => {
  await check(page, await signedInPages(page.request));
});
