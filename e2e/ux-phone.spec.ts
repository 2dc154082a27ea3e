import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures.js';
import { publicPages, signedInPages, viewports, type AppPage } from './support/pages.js';

/** The pages that are wider than the phone's screen, with by how much. */
async function sidewaysScrolling(page: Page, pages: AppPage[]): Promise<string[]> {
  const wide: string[] = [];
  for (const target of pages) {
    await page.goto(target.path);
    await expect(page.getByRole('heading', { name: target.heading }).first()).toBeVisible();
    await page.waitForTimeout(300);
    const width = await page.evaluate(() => document.scrollingElement?.scrollWidth ?? 0);
    if (width > viewports.phone.width) wide.push(`${target.name}: ${width} px`);
  }
  return wide;
}

test('no page scrolls sideways on a 390 px phone', async ({ page }) => {
  await page.setViewportSize(viewports.phone);
  const wide = await sidewaysScrolling(page, publicPages);
  wide.push(...(await sidewaysScrolling(page, await signedInPages(page.request))));
  expect(wide).toEqual([]);
});
