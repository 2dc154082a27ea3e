import { expect, shoot, signedInUser, test, videoInput } from './support/fixtures.js';
import { largeUpload } from './support/media.js';

test('an upload cancelled halfway stops, says so, and leaves no video behind', async ({ page }) => {
  await signedInUser(page.request, 'uploads');
  await page.goto('/searches/new');
  // Slow the upload down to 1 MB/s so there is a "halfway" to cancel at.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: 1024 * 1024,
  });

  await videoInput(page).setInputFiles(await largeUpload(24));
  const upload = page.getByTestId('video-upload');
  const bar = upload.getByTestId('upload-progress');
  await expect
    .poll(async () => Number(await bar.getAttribute('data-percent')), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(20);
  const percentAtCancel = Number(await bar.getAttribute('data-percent'));
  expect(percentAtCancel).toBeLessThan(90);
  await expect(upload.getByText(/MB of 24 MB \(\d+%\)/)).toBeVisible();
  await upload.getByRole('button', { name: 'Cancel' }).click();

  await expect(upload.getByText('Upload cancelled')).toBeVisible();
  await expect(upload.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
  await expect(page.getByText('0 videos selected')).toBeVisible();
  await shoot(page, 'new-search-upload-cancelled');

  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });
  const videos = await page.request.get('/api/videos');
  expect(((await videos.json()) as { total: number }).total).toBe(0);
  await page.goto('/videos');
  await expect(page.getByText('No footage yet')).toBeVisible();
});
