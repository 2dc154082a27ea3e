import { expect, signedInUser, test } from './support/fixtures.js';
import { MOCK_SEARCH_ID, mockSearch, mockVideo } from './support/mock-search.js';

const CAMERA = '00000000-0000-4000-8000-0000000000d1';

test('a camera that fails its test is explained, added only after a warning, and can be removed again', async ({
  page,
}) => {
  await signedInUser(page.request, 'deadcam');
  await page.goto('/searches/new');
  await page.getByLabel('Camera name').fill('Back door');
  const url = page.getByLabel('Stream URL');
  // The server refuses rtmp:// and srt://: the form does not offer them.
  await url.fill('rtmp://127.0.0.1/live');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByText('Enter an rtsp://, rtsps://, http:// or https:// URL')).toBeVisible();

  await url.fill('http://127.0.0.1:9/nothing.m3u8');
  await page.getByRole('button', { name: 'Test connection' }).click();
  const failure = page.getByRole('alert').filter({ hasText: 'Connection test failed' });
  await expect(failure).toBeVisible({ timeout: 30_000 });
  await expect(failure).toContainText('not this browser');
  await expect(failure).toContainText('port');
  // The server's own message once, not twice.
  const message = (await failure.locator('p').first().textContent()) ?? '';
  expect(message.length).toBeGreaterThan(5);
  await expect(page.getByText(message, { exact: true })).toHaveCount(1);

  await page.getByRole('button', { name: 'Add live feed' }).click();
  const warning = page.getByRole('alert').filter({ hasText: 'did not answer the test' });
  await expect(warning).toBeVisible();
  await expect(page.getByText('0 videos selected')).toBeVisible();
  await warning.getByRole('button', { name: 'Add anyway' }).click();
  await expect(page.getByText('1 video selected')).toBeVisible();
  await page.getByRole('button', { name: 'Remove Back door' }).click();
  await expect(page.getByText('0 videos selected')).toBeVisible();
  await expect(page.getByText('Back door', { exact: true })).toHaveCount(0);
});

test('an offline camera shows why and when it is tried again, and stops spinning once the search is cancelled', async ({
  page,
}) => {
  await signedInUser(page.request, 'offline');
  const camera = mockVideo(CAMERA, 'Back door', {
    kind: 'live',
    status: 'running',
    durationMs: null,
    processedMs: 0,
  });
  const feed = {
    videoId: CAMERA,
    title: 'Back door',
    status: 'running',
    state: 'connecting',
    lagMs: null,
    droppedFrames: 0,
    reconnects: 0,
    error: null,
    hlsUrl: `/api/searches/${MOCK_SEARCH_ID}/live/${CAMERA}/index.m3u8`,
  };
  const search = await mockSearch(page, { status: 'running', videos: [camera] }, [feed]);
  await page.goto(`/searches/${MOCK_SEARCH_ID}`);
  await expect(page.getByTestId('video-progress').getByText('connecting')).toBeVisible();

  search.send({
    type: 'search.live',
    searchId: MOCK_SEARCH_ID,
    videoId: CAMERA,
    state: 'offline',
    lagMs: null,
    droppedFrames: 0,
    reconnects: 1,
    retryInMs: 30_000,
    error: 'Connection refused',
  });
  const offline = page.getByTestId('feed-offline');
  await expect(offline).toContainText('Offline: Connection refused');
  await expect(offline).toContainText('next attempt at');

  search.change({ status: 'cancelled' });
  search.send({ type: 'search.status', searchId: MOCK_SEARCH_ID, status: 'cancelled' });
  await expect(page.getByTestId('search-status')).toHaveText('cancelled');
  const progress = page.getByTestId('video-progress');
  await expect(progress.getByText('running')).toHaveCount(0);
  await expect(progress.getByText('cancelled')).toBeVisible();
  await expect(offline).toHaveCount(0);
  await expect(page.getByText('Waiting for the live stream…')).toHaveCount(0);
  await expect(
    page.getByText('The search has ended: this camera is no longer watched.'),
  ).toBeVisible();
});
