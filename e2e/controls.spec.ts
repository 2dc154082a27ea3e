import { expect, searchReadyToWatch, shoot, signedInUser, test } from './support/fixtures.js';
import { referencePhoto, searchFootage } from './support/media.js';

test('Pause, Resume and Cancel follow the real state of the search', async ({ page }) => {
  const user = await signedInUser(page.request, 'controls');
  // Thorough on a long video: minutes of work, so the search is surely still active while clicked.
  const { searchId } = await searchReadyToWatch(page.request, user, {
    photo: await referencePhoto(),
    video: await searchFootage(120),
    preset: 'thorough',
  });
  await page.goto(`/searches/${searchId}`);
  const status = page.getByTestId('search-status');
  await expect(status).toHaveText(/queued|running/);

  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(status).toHaveText('paused');
  await expect(page.getByRole('button', { name: 'Resume' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveCount(0);
  const api = await page.request.get(`/api/searches/${searchId}`);
  expect(((await api.json()) as { status: string }).status).toBe('paused');
  // Paused means no further analysis: the analysed time stands still.
  const progress = page.getByTestId('video-progress');
  const before = await progress.innerText();
  await page.waitForTimeout(3000);
  expect(await progress.innerText()).toBe(before);
  await shoot(page, 'search-progress-paused');

  await page.reload();
  await expect(status).toHaveText('paused');
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(status).toHaveText(/queued|running/);
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();

  // The dashboard lists it among the active searches, its bar moving as progress events arrive.
  await page.getByRole('link', { name: 'Dashboard' }).click();
  const active = page.getByTestId('active-search');
  await expect(active).toHaveCount(1);
  await expect(active.getByText(/\d+% of 1 video analysed/)).toBeVisible();
  const first = await active.getByText(/% of 1 video analysed/).innerText();
  await expect
    .poll(() => active.getByText(/% of 1 video analysed/).innerText(), { timeout: 60_000 })
    .not.toBe(first);
  await shoot(page, 'dashboard-active');
  await active.getByRole('link', { name: 'Grace Hopper' }).click();

  await page.getByRole('button', { name: 'Cancel search' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel the search' }).click();
  await expect(status).toHaveText('cancelled');
  await expect(page.getByRole('button', { name: /Pause|Resume|Cancel search/ })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'View results' })).toBeVisible();
});
