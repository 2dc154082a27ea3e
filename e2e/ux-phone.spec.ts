import type { Page } from '@playwright/test';
import { expect, signedInUser, test } from './support/fixtures.js';
import { mockListItem, mockSearchLists } from './support/mock-lists.js';
import { MOCK_SEARCH_ID, mockAppearance, mockSearch, mockVideo } from './support/mock-search.js';
import { publicPages, signedInPages, viewports, type AppPage } from './support/pages.js';

/** The pages that are wider than the phone's screen, with by how much. */
async function sidewaysScrolling(page: Page, pages: AppPage[]): Promise<string[]> {
  const wide: string[] = [];
  for (const target of pages) {
    await page.goto(target.path);
    await expect(page.getByRole('heading', { name: target.heading }).first()).toBeVisible();
    await page.waitForTimeout(300);
    // A string: e2e/ is type-checked without the DOM's types.
    const width = await page.evaluate<number>('document.scrollingElement.scrollWidth');
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

test('on a phone lists are cards with whole status badges; on a desktop, tables', async ({
  page,
}) => {
  await signedInUser(page.request, 'cards');
  const statuses = ['completed', 'cancelled', 'running', 'failed'] as const;
  await mockSearchLists(
    page,
    statuses.map((status, index) => mockListItem(index, status)),
  );
  await page.setViewportSize(viewports.phone);
  await page.goto('/searches');
  const cards = page.getByRole('list', { name: 'Searches' }).getByRole('listitem');
  await expect(cards).toHaveCount(statuses.length);
  await expect(page.getByRole('table')).toHaveCount(0);
  for (const [index, status] of statuses.entries()) {
    const card = cards.nth(index);
    // Every field is there, labelled, and no badge is cut short ("COMPLE…").
    await expect(card.getByText('Progress')).toBeVisible();
    await expect(card.getByText('Matches')).toBeVisible();
    const badge = card.getByText(status, { exact: true });
    await expect(badge).toBeVisible();
    const { scrollWidth, clientWidth } = await badge.evaluate((el) => ({
      scrollWidth: (el as { scrollWidth: number }).scrollWidth,
      clientWidth: (el as { clientWidth: number }).clientWidth,
    }));
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    const box = await card.boundingBox();
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(viewports.phone.width);
  }

  await page.setViewportSize(viewports.desktop);
  await expect(page.getByRole('table', { name: 'Searches' }).getByRole('row')).toHaveCount(
    statuses.length + 1,
  );
});

const videoId = (n: number) => `00000000-0000-4000-8000-0000000001${n.toString().padStart(2, '0')}`;

async function progressWithSixVideos(page: Page) {
  await signedInUser(page.request, 'phone-progress');
  const videos = [1, 2, 3, 4, 5, 6].map((n) =>
    mockVideo(videoId(n), `Camera ${n}`, {
      status: 'running',
      durationMs: 60_000,
      processedMs: 30_000,
    }),
  );
  await mockSearch(page, { status: 'running', videos }, [], [mockAppearance(videoId(3))]);
  await page.goto(`/searches/${MOCK_SEARCH_ID}`);
  await expect(page.getByTestId('match-item')).toHaveCount(1);
}

test('on a phone the progress page shows the matches first and folds the other players away', async ({
  page,
}) => {
  await page.setViewportSize(viewports.phone);
  await progressWithSixVideos(page);
  const matches = page.getByTestId('matches-panel');
  const featured = page.getByTestId('featured-player');
  // The match is on the first screen, above the large player, not under a stack of players.
  await expect(page.getByTestId('match-item')).toBeInViewport();
  const matchesTop = (await matches.boundingBox())?.y ?? Infinity;
  expect(matchesTop).toBeLessThan((await featured.boundingBox())?.y ?? 0);
  await expect(page.getByTestId('small-player')).toHaveCount(0);
  const unfold = page.getByRole('button', { name: 'Show them' });
  await expect(unfold).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByText('5 other videos')).toBeVisible();
  await unfold.click();
  await expect(page.getByTestId('small-player')).toHaveCount(5);
  await expect(page.getByRole('button', { name: 'Hide them' })).toHaveAttribute(
    'aria-expanded',
    'true',
  );
  await page.getByRole('button', { name: 'Hide them' }).click();
  await expect(page.getByTestId('small-player')).toHaveCount(0);
  // Choosing a match brings its video into view.
  await page.getByTestId('match-item').click();
  await expect(featured).toBeInViewport();
  await expect(featured.getByText('Camera 3', { exact: true })).toBeVisible();
});

test('on a desktop the progress page keeps the players beside progress and matches', async ({
  page,
}) => {
  await page.setViewportSize(viewports.desktop);
  await progressWithSixVideos(page);
  await expect(page.getByTestId('small-player')).toHaveCount(5);
  const featured = await page.getByTestId('featured-player').boundingBox();
  const matches = await page.getByTestId('matches-panel').boundingBox();
  expect(matches?.x ?? 0).toBeGreaterThan((featured?.x ?? 0) + (featured?.width ?? 0) - 1);
  await expect(page.getByRole('button', { name: 'Show them' })).toHaveCount(0);
});
