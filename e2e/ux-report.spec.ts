import type { Page } from '@playwright/test';
import { violations } from './support/axe.js';
import { caseWithPhoto, expect, signedInUser, test } from './support/fixtures.js';
import { emptyFootage, referencePhoto } from './support/media.js';
import { MOCK_SEARCH_ID, mockAppearance, mockSearch, mockVideo } from './support/mock-search.js';
import { viewports } from './support/pages.js';

const PLATFORM = '00000000-0000-4000-8000-0000000000f1';
const CONCOURSE = '00000000-0000-4000-8000-0000000000f2';

const platform = mockVideo(PLATFORM, 'Platform camera', {
  status: 'completed',
  durationMs: 60_000,
  processedMs: 60_000,
});
const concourse = mockVideo(CONCOURSE, 'Concourse camera', {
  status: 'completed',
  durationMs: 20_000,
  processedMs: 20_000,
});
const matches = [
  mockAppearance(PLATFORM, { id: '00000000-0000-4000-8000-0000000000b1' }),
  mockAppearance(PLATFORM, {
    id: '00000000-0000-4000-8000-0000000000b2',
    startMs: 40_000,
    endMs: 44_000,
    bestScore: 0.72,
  }),
  mockAppearance(CONCOURSE, {
    id: '00000000-0000-4000-8000-0000000000b3',
    startMs: 12_000,
    endMs: 15_000,
    bestScore: 0.996,
  }),
];

/** A finished search of two videos (60 s and 20 s) with three matches; the 20 s one really plays. */
async function openFinishedSearch(page: Page) {
  await signedInUser(page.request, 'report');
  const footage = await emptyFootage(20);
  await page.route(`**/api/videos/${CONCOURSE}/stream`, (route) =>
    route.fulfill({ path: footage, contentType: 'video/mp4' }),
  );
  await mockSearch(
    page,
    { status: 'completed', finishedAt: '2026-05-01T09:40:00.000Z', videos: [platform, concourse] },
    [],
    matches,
  );
  await page.goto(`/searches/${MOCK_SEARCH_ID}/results`);
}

/** Where a bar starts in its row, and the row's width, in pixels. */
async function offsetOf(page: Page, row: string, bar: RegExp) {
  const track = page.getByRole('group', { name: row });
  const trackBox = await track.boundingBox();
  // The coloured bar itself: its label may sit before it, near the right edge.
  const barBox = await track
    .getByRole('button', { name: bar })
    .locator('span')
    .first()
    .boundingBox();
  if (!trackBox || !barBox) throw new Error(`no ${String(bar)} in ${row}`);
  return { offset: barBox.x - trackBox.x, width: trackBox.width };
}

for (const [size, viewport] of Object.entries(viewports)) {
  test(`results (${size}): every video on one time axis with readable ticks and labelled bars; a bar plays the video from there`, async ({
    page,
  }) => {
    await page.setViewportSize(viewport);
    await openFinishedSearch(page);
    const timeline = page.getByTestId('results-timeline');
    await expect(timeline).toHaveCount(1);
    await expect(timeline.getByTestId('timeline-row')).toHaveCount(2);

    // Ticks: start at 0:00, each label once (no "0:00 0:00 0:01").
    const ticks = await page.getByTestId('timeline-axis').locator('span').allTextContents();
    expect(ticks[0]).toBe('0:00');
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(new Set(ticks).size).toBe(ticks.length);

    // One scale: 12 s of the 20 s video sits where 12 s of the 60 s one would, not at 60 %.
    const concourseBar = await offsetOf(page, 'Concourse camera', /from 0:12/);
    expect(concourseBar.offset / concourseBar.width).toBeCloseTo(12 / 60, 1);
    const platformBar = await offsetOf(page, 'Platform camera', /from 0:40/);
    expect(platformBar.offset / platformBar.width).toBeCloseTo(40 / 60, 1);

    // Labelled with time and score, named for screen readers.
    const bar = page.getByRole('button', {
      name: 'Play Concourse camera from 0:12: match until 0:15, score 100%',
    });
    await expect(bar).toHaveText('0:12 · 100%');
    await expect(page.getByTestId('timeline-bar').first()).toHaveText('0:02 · 90%');

    await bar.click();
    const player = page.getByTestId('results-player');
    await expect(player).toBeVisible();
    await expect(player).toContainText('Concourse camera');
    await expect(player).toContainText('from 0:12');
    await expect
      .poll(() =>
        player.locator('video').evaluate((video) => (video as { currentTime: number }).currentTime),
      )
      .toBeGreaterThanOrEqual(12);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      viewport.width,
    );
    expect(await violations(page)).toEqual([]);
  });
}

test('results: a match labelled 100 % stays at the 100 % filter, and threshold and score are explained', async ({
  page,
}) => {
  await openFinishedSearch(page);
  await expect(
    page.getByText(/threshold 60%: faces scoring lower were not reported/),
  ).toBeVisible();
  await expect(page.getByTestId('score-help')).toContainText('how sure');
  await page.getByRole('slider', { name: 'Lowest score shown' }).focus();
  await page.keyboard.press('End');
  await expect(page.getByText('Show matches scoring at least 100%')).toBeVisible();
  await expect(page.getByTestId('gallery-item')).toHaveCount(1);
  await expect(page.getByTestId('gallery-item')).toContainText('100%');
  await expect(page.getByTestId('timeline-bar')).toHaveCount(1);
  await expect(page.getByTestId('timeline-bar')).toHaveText('0:12 · 100%');
});

for (const [size, viewport] of Object.entries(viewports)) {
  test(`not found (${size}): advice and a search-again that lowers the threshold; the title says the search is over`, async ({
    page,
  }) => {
    await page.setViewportSize(viewport);
    const user = await signedInUser(page.request, 'notfound');
    const caseId = await caseWithPhoto(page.request, user, await referencePhoto());
    await mockSearch(page, {
      status: 'completed',
      finishedAt: '2026-05-01T09:40:00.000Z',
      videos: [platform],
      missingPerson: { id: caseId, firstName: 'Grace', lastName: 'Hopper' },
    });
    await page.goto(`/searches/${MOCK_SEARCH_ID}`);
    await expect(page.getByRole('heading', { name: /^Search for Grace Hopper/ })).toBeVisible();
    await expect(page.getByText(/Searching for/)).toHaveCount(0);
    await expect(page).toHaveTitle(/completed/);
    await expect(page).not.toHaveTitle(/Searching/);
    const advice = page.getByTestId('not-found');
    await expect(advice).toContainText('Grace Hopper was not found in this footage');
    expect(await violations(page)).toEqual([]);

    await page.goto(`/searches/${MOCK_SEARCH_ID}/results`);
    await expect(advice).toContainText('Lower the threshold to 50%');
    await expect(advice).toContainText('Add photos');
    await expect(advice).toContainText('Search other footage');
    await expect(advice.getByRole('link', { name: 'Add photos' })).toHaveAttribute(
      'href',
      `/cases/${caseId}`,
    );
    await advice.getByRole('button', { name: 'Search again at 50%' }).click();
    await expect(page).toHaveURL(new RegExp(`/searches/new\\?caseId=${caseId}`));
    await expect(page.getByText('Grace Hopper · 1 usable photo')).toBeVisible();
    await expect(page.getByText('Match threshold: 50%')).toBeVisible();
    await expect(page.getByText('1 video selected')).toBeVisible();
    await expect(page.getByTestId('search-estimate')).toContainText('1 video is still being');
  });
}
