import { violations } from './support/axe.js';
import {
  caseWithPhoto,
  expect,
  photoInput,
  signedInUser,
  test,
  uploadVideo,
} from './support/fixtures.js';
import { emptyFootage, referencePhoto } from './support/media.js';
import { MOCK_SEARCH_ID, mockSearch, mockVideo } from './support/mock-search.js';
import { viewports } from './support/pages.js';

const VIDEO = '00000000-0000-4000-8000-0000000000d1';

for (const [size, viewport] of Object.entries(viewports)) {
  test(`cancel (${size}) asks first: keeping the search sends nothing, confirming cancels it`, async ({
    page,
  }) => {
    await page.setViewportSize(viewport);
    await signedInUser(page.request, 'confirm');
    const video = mockVideo(VIDEO, 'Lobby camera', {
      status: 'running',
      durationMs: 60_000,
      processedMs: 20_000,
    });
    await mockSearch(page, { status: 'running', videos: [video] });
    const cancels: string[] = [];
    await page.route(`**/api/searches/${MOCK_SEARCH_ID}/cancel`, (route) => {
      cancels.push(route.request().method());
      return route.fulfill({ json: { status: 'cancelled' } });
    });
    await page.goto(`/searches/${MOCK_SEARCH_ID}`);
    await expect(page.getByRole('heading', { name: /^Searching for Mock Person/ })).toBeVisible();

    await page.getByRole('button', { name: 'Cancel search' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel this search?' });
    await expect(dialog).toContainText('cannot be resumed');
    await expect(dialog).toContainText('pause instead');
    expect(await violations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Keep searching' }).click();
    await expect(dialog).toHaveCount(0);
    expect(cancels).toEqual([]);

    await page.getByRole('button', { name: 'Cancel search' }).click();
    await dialog.getByRole('button', { name: 'Cancel the search' }).click();
    await expect.poll(() => cancels).toEqual(['PUT']);
  });
}

test('before Search, a rough estimate of the time from the footage length and the speed', async ({
  page,
}) => {
  const user = await signedInUser(page.request, 'estimate');
  const caseId = await caseWithPhoto(page.request, user, await referencePhoto());
  await uploadVideo(page.request, user, await emptyFootage(30), 'Half-minute lobby');
  await page.goto(`/searches/new?caseId=${caseId}`);
  await expect(page.getByTestId('search-estimate')).toHaveCount(0);
  await page.getByRole('textbox', { name: 'Footage already in the library' }).click();
  await page.getByRole('option', { name: /Half-minute lobby/ }).click();
  await page.keyboard.press('Escape');

  const estimate = page.getByTestId('search-estimate');
  // Balanced analyses 3–6 s of footage a second: 5 to 10 s for 30 s.
  await expect(estimate).toContainText('Rough estimate: 5 s to 10 s to analyse 30 s of footage');
  await expect(estimate).toContainText('Balanced');
  await page.getByRole('radio', { name: /Thorough/ }).check();
  await expect(estimate).toContainText('14 s to 21 s');
});

test('the photo check says why the first one waits', async ({ page }) => {
  const user = await signedInUser(page.request, 'photowait');
  const created = await page.request.post('/api/missing-persons', {
    headers: { 'x-csrf-token': user.csrfToken },
    data: { firstName: 'Ada', lastName: 'Lovelace' },
  });
  const caseId = ((await created.json()) as { id: string }).id;
  // Held back a moment, as a cold face model holds the first check.
  await page.route(`**/api/missing-persons/${caseId}/photos`, async (route) => {
    if (route.request().method() === 'POST') await new Promise((r) => setTimeout(r, 2_000));
    await route.fallback();
  });
  await page.goto(`/cases/${caseId}`);
  await photoInput(page).setInputFiles(await referencePhoto());
  await expect(page.getByTestId('photo-wait')).toContainText('face model is loading');
  await expect(page.getByText('Face found')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('photo-wait')).toHaveCount(0);
});
