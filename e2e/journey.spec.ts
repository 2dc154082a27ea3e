import {
  PASSWORD,
  expect,
  photoInput,
  shoot,
  test,
  uniqueName,
  videoInput,
} from './support/fixtures.js';
import { referencePhoto, searchFootage } from './support/media.js';

test('a newcomer signs up, opens a case, uploads a photo and footage, watches a match arrive live and reads the results', async ({
  page,
}) => {
  const username = uniqueName('ada');
  const photo = await referencePhoto();
  // Long enough that the analysis is still running when the 2–5 s appearance is reported.
  const footage = await searchFootage(24);
  const shortFootage = await searchFootage(8);

  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
  await shoot(page, 'login');
  await page.getByRole('link', { name: 'Create an account' }).click();
  // The sign-in form has a Username field too: fill only once the sign-up form has replaced it.
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();

  await page.getByLabel('Username').fill(username);
  await expect(page.getByText('This username is available')).toBeVisible();
  await page.getByLabel('E-mail').fill(`${username}@example.com`);
  await expect(page.getByText('This e-mail can be used')).toBeVisible();
  await page
    .getByLabel(/^Password/)
    .first()
    .fill('short');
  await page.getByLabel('Repeat the password').click();
  await expect(page.getByText('Use at least 10 characters')).toBeVisible();
  await page
    .getByLabel(/^Password/)
    .first()
    .fill(PASSWORD);
  await page.getByLabel('Repeat the password').fill(PASSWORD);
  await shoot(page, 'register');
  await page.getByRole('button', { name: 'Create account' }).click();

  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(page.getByText('No search is running')).toBeVisible();
  await shoot(page, 'dashboard-empty');

  await page.getByRole('link', { name: 'New search' }).first().click();
  await expect(page.getByRole('heading', { name: 'New search' })).toBeVisible();
  await page.getByLabel('First name').fill('Ada');
  await page.getByLabel('Last name').fill('Lovelace');
  await page.getByLabel('Age', { exact: true }).fill('36');
  await page.getByRole('button', { name: 'Save and add photos' }).click();
  await expect(page.getByText('Ada Lovelace · 0 usable photos')).toBeVisible();

  await photoInput(page).setInputFiles(photo);
  const preview = page.getByTestId('photo-preview');
  await expect(preview.getByText('Face found')).toBeVisible({ timeout: 60_000 });
  await expect(preview.getByTestId('photo-face-box')).toBeVisible();
  await expect(page.getByText('Ada Lovelace · 1 usable photo')).toBeVisible();

  await videoInput(page).setInputFiles([footage, shortFootage]);
  const uploads = page.getByTestId('video-upload');
  await expect(uploads).toHaveCount(2);
  await expect(uploads.nth(0).getByText(/^Ready/)).toBeVisible({ timeout: 60_000 });
  await expect(uploads.nth(1).getByText(/^Ready/)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('2 videos selected')).toBeVisible();
  await page.getByLabel('Balanced').check();
  await shoot(page, 'new-search-filled');

  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL(/\/searches\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name: /Searching for Ada Lovelace/ })).toBeVisible();
  const searchUrl = page.url();

  // The match arrives over the WebSocket while the rest of the footage is still being analysed.
  const match = page.getByTestId('match-item').first();
  await expect(match).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('search-status')).toHaveText(/running|queued/);
  await expect(page.getByTestId('video-progress')).toHaveCount(2);
  await expect(
    page
      .getByTestId('video-progress')
      .getByText(/frames\/s/)
      .first(),
  ).toBeVisible();
  await shoot(page, 'search-progress-running');

  // The other video plays small beneath; clicking it makes it the featured one.
  const featured = page.getByTestId('featured-player');
  const firstTitle = await featured.locator('video').getAttribute('aria-label');
  await expect(page.getByTestId('small-player')).toHaveCount(1);
  await page.getByTestId('small-player').getByRole('button').click();
  await expect(featured.locator('video')).not.toHaveAttribute('aria-label', firstTitle ?? '');

  await match.click();
  await expect(page.getByTestId('face-box')).toBeVisible();
  await expect(featured.getByTestId('timeline-marker')).toHaveCount(1);

  await expect(page.getByTestId('search-status')).toHaveText('completed', { timeout: 120_000 });
  await expect(page.getByText('The search is finished')).toBeVisible();
  await expect(page.getByTestId('match-count')).toHaveText('2');
  await page.getByTestId('match-item').first().click();
  await expect(page.getByTestId('face-box')).toBeVisible();
  await shoot(page, 'search-progress-completed');

  await page.getByRole('link', { name: 'View results' }).click();
  await expect(page).toHaveURL(`${searchUrl}/results`);
  await expect(page.getByText('Ada Lovelace was found: 2 appearances')).toBeVisible();
  await expect(page.getByTestId('results-timeline').getByTestId('timeline-row')).toHaveCount(2);
  await expect(page.getByTestId('gallery-item')).toHaveCount(2);
  await expect(page.getByTestId('gallery-item').first()).toContainText('0:02');
  await shoot(page, 'results');

  const json = await page.request.get(
    `${searchUrl.replace(/\/searches\//, '/api/searches/')}/export?format=json`,
  );
  expect(json.status()).toBe(200);

  await page.getByTestId('gallery-item').first().click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByText(/Best match at 0:0[2-5]/)).toBeVisible();
  const crops = dialog.locator('img');
  await expect(crops).not.toHaveCount(0);
  await expect
    .poll(() =>
      crops.evaluateAll((images) => images.every((i) => (i as { complete: boolean }).complete)),
    )
    .toBe(true);
  await shoot(page, 'results-appearance-detail', false);
  await page.keyboard.press('Escape');

  await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Recent searches' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Ada Lovelace' }).first()).toBeVisible();
  await shoot(page, 'dashboard');

  await page.getByRole('link', { name: 'Cases' }).first().click();
  // Pages load their code on first visit: the dashboard's own link to the case stays until then.
  await expect(page).toHaveURL(/\/cases$/);
  await expect(page.getByRole('table', { name: 'Recent searches' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Ada Lovelace' })).toBeVisible();
  await shoot(page, 'cases');
  await page.getByRole('link', { name: 'Ada Lovelace' }).click();
  await expect(page.getByRole('heading', { name: 'Reference photos (1)' })).toBeVisible();
  await shoot(page, 'case-detail');

  await page.getByRole('link', { name: 'Footage' }).click();
  await page.getByRole('link', { name: 'platform 24s' }).click();
  await expect(page.getByLabel('platform 24s', { exact: true })).toBeVisible();
  await shoot(page, 'video-detail');
  await page.getByRole('link', { name: 'Footage' }).click();
  await shoot(page, 'videos');

  await page.getByRole('link', { name: 'Searches' }).click();
  await shoot(page, 'searches');
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'API tokens' })).toBeVisible();
  await shoot(page, 'settings');
});
