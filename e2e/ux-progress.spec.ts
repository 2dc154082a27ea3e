import { caseWithPhoto, expect, signedInUser, test, uploadVideo } from './support/fixtures.js';
import { emptyFootage, referencePhoto, searchFootage } from './support/media.js';
import { MOCK_SEARCH_ID, mockAppearance, mockSearch, mockVideo } from './support/mock-search.js';

const CLIP = '00000000-0000-4000-8000-0000000000c1';
const LONG = '00000000-0000-4000-8000-0000000000c2';
const CONCOURSE = '00000000-0000-4000-8000-0000000000c3';

test('the progress page opens at its top and features the video with the newest match', async ({
  page,
}) => {
  const user = await signedInUser(page.request, 'featured');
  const caseId = await caseWithPhoto(page.request, user, await referencePhoto());
  await uploadVideo(page.request, user, await emptyFootage(1), 'A one-second clip');
  await uploadVideo(page.request, user, await searchFootage(8), 'Concourse camera');
  await uploadVideo(page.request, user, await emptyFootage(16), 'Empty platform');

  await page.goto(`/searches/new?caseId=${caseId}`);
  await expect(page.getByText('Grace Hopper · 1 usable photo')).toBeVisible();
  const picker = page.getByRole('textbox', { name: 'Footage already in the library' });
  for (const title of ['A one-second clip', 'Concourse camera', 'Empty platform']) {
    await picker.click();
    await page.getByRole('option', { name: new RegExp(title) }).click();
    await page.keyboard.press('Escape');
  }
  await expect(page.getByText('3 videos selected')).toBeVisible();
  const search = page.getByRole('button', { name: 'Search', exact: true });
  await search.scrollIntoViewIfNeeded();
  expect(await page.evaluate('window.scrollY')).toBeGreaterThan(200);
  await search.click();

  await expect(page).toHaveURL(/\/searches\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('search-status')).toBeVisible();
  expect(await page.evaluate('window.scrollY')).toBe(0);
  await expect(page.getByRole('button', { name: 'Cancel search' })).toBeInViewport();
  await expect(page.getByTestId('match-item').first()).toBeVisible({ timeout: 90_000 });
  const featured = page.getByTestId('featured-player');
  await expect(featured.getByText('Concourse camera', { exact: true })).toBeVisible();
});

test('before any match the large player shows the longest footage still to analyse, then the match', async ({
  page,
}) => {
  // Mocked: on a real search the first match can come before the page has drawn (a race).
  await signedInUser(page.request, 'featured-mock');
  const videos = [
    mockVideo(CLIP, 'A one-second clip', { status: 'running', durationMs: 1_000, processedMs: 0 }),
    mockVideo(CONCOURSE, 'Concourse camera', {
      status: 'running',
      durationMs: 8_000,
      processedMs: 0,
    }),
    mockVideo(LONG, 'Empty platform', { status: 'running', durationMs: 16_000, processedMs: 0 }),
  ];
  const { send } = await mockSearch(page, { status: 'running', videos });
  await page.goto(`/searches/${MOCK_SEARCH_ID}`);
  const featured = page.getByTestId('featured-player');
  // Nothing found yet: the longest footage still to analyse, not the first (a 1-second clip).
  await expect(featured.getByText('Empty platform', { exact: true })).toBeVisible();

  send({
    type: 'search.detection',
    searchId: MOCK_SEARCH_ID,
    appearance: mockAppearance(CONCOURSE),
  });
  await expect(featured.getByText('Concourse camera', { exact: true })).toBeVisible();
});

test('the overall progress is weighted by footage length and one time left settles from the measured speed', async ({
  page,
}) => {
  await signedInUser(page.request, 'weighted');
  const clip = mockVideo(CLIP, 'A one-second clip', {
    status: 'completed',
    durationMs: 1_000,
    processedMs: 1_000,
  });
  const long = mockVideo(LONG, 'Ninety seconds', {
    status: 'running',
    durationMs: 99_000,
    processedMs: 9_000,
    // The server's first per-video guess, far off while the model warms up: not shown.
    remainingMs: 780_000,
  });
  const { send } = await mockSearch(page, { status: 'running', videos: [clip, long] });
  await page.goto(`/searches/${MOCK_SEARCH_ID}`);

  const overall = page.getByTestId('overall-progress');
  // (1 + 9) s of 100 s, not the mean of 100 % and 9 %.
  await expect(overall.getByText('10% of the footage analysed')).toBeVisible();
  await expect(overall.getByText(/Estimating time left…/)).toBeVisible();
  await expect(page.getByText(/13 min/)).toHaveCount(0);

  // 2 s of footage per second of wall time: 90 s of footage left → about 45 s.
  for (let second = 1; second <= 5; second += 1) {
    await page.waitForTimeout(1_000);
    send({
      type: 'search.progress',
      searchId: MOCK_SEARCH_ID,
      videoId: LONG,
      status: 'running',
      processedMs: 9_000 + second * 2_000,
      durationMs: 99_000,
      progress: ((9_000 + second * 2_000) / 99_000) * 100,
      framesAnalysed: second * 10,
      fps: 10,
      remainingMs: 780_000,
    });
  }
  await expect(overall).toContainText('20% of the footage analysed');
  const left = await page.getByTestId('overall-remaining').textContent();
  const seconds = Number(/(\d+) s left/.exec(left ?? '')?.[1]);
  expect(seconds, left ?? '').toBeGreaterThan(25);
  expect(seconds, left ?? '').toBeLessThan(60);
});

test('a cancelled search shows the same share analysed on its page and in the list, as cancelled', async ({
  page,
}) => {
  const user = await signedInUser(page.request, 'cancelled');
  const caseId = await caseWithPhoto(page.request, user, await referencePhoto());
  const clip = await uploadVideo(page.request, user, await emptyFootage(1), 'A one-second clip');
  const long = await uploadVideo(page.request, user, await emptyFootage(60), 'A long minute');
  const created = await page.request.post('/api/searches', {
    headers: { 'x-csrf-token': user.csrfToken },
    data: { missingPersonId: caseId, videoIds: [clip, long], preset: 'thorough' },
  });
  const searchId = ((await created.json()) as { id: string }).id;
  await page.goto(`/searches/${searchId}`);
  const clipProgress = page.getByTestId('video-progress').filter({ hasText: 'A one-second clip' });
  await expect(clipProgress.getByText('completed')).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Cancel search' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel the search' }).click();
  await expect(page.getByTestId('search-status')).toHaveText('cancelled');
  const longProgress = page.getByTestId('video-progress').filter({ hasText: 'A long minute' });
  await expect(longProgress.getByText('running')).toHaveCount(0);

  const remaining = page.getByTestId('overall-remaining');
  await expect(remaining).toContainText('Cancelled at');
  const share = /(\d+)% of the footage/.exec((await remaining.textContent()) ?? '')?.[1];
  // The clip is 1 s of 61: far below the 50 % an unweighted mean of the two videos gives.
  expect(Number(share)).toBeLessThan(50);
  await page.goto('/searches');
  const row = page.getByRole('row', { name: /Grace Hopper/ });
  await expect(row.getByText('cancelled')).toBeVisible();
  await expect(row.getByTestId('list-progress')).toContainText(`${share}%`);
});
