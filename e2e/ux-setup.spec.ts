import {
  caseWithPhoto,
  expect,
  photoInput,
  signedInUser,
  test,
  uploadVideo,
  videoInput,
} from './support/fixtures.js';
import { emptyFootage, photoWithoutFace, referencePhoto, searchFootage } from './support/media.js';

test('the new search keeps its draft across a reload, preselects uploads, offers the existing copy of a duplicate and explains refused files', async ({
  page,
}) => {
  const user = await signedInUser(page.request, 'draft');
  const caseId = await caseWithPhoto(page.request, user, await referencePhoto());
  await uploadVideo(page.request, user, await searchFootage(8), 'Concourse camera');

  await page.goto(`/searches/new?caseId=${caseId}`);
  await expect(page.getByText('Grace Hopper · 1 usable photo')).toBeVisible();
  await page.getByRole('textbox', { name: 'Footage already in the library' }).click();
  await page.getByRole('option', { name: /Concourse camera/ }).click();
  await page.keyboard.press('Escape');
  await page.getByRole('radio', { name: /Thorough/ }).check();

  // A file uploaded here is selected in the library picker too, not listed there unselected.
  await videoInput(page).setInputFiles(await emptyFootage(2));
  await expect(page.getByTestId('video-upload').getByText(/Ready/)).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByText('2 videos selected')).toBeVisible();
  const picked = page.locator('.mantine-MultiSelect-pill');
  await expect(picked.filter({ hasText: 'empty 2s' })).toBeVisible();

  await page.reload();
  await expect(page.getByText('Grace Hopper · 1 usable photo')).toBeVisible();
  await expect(page.getByText('2 videos selected')).toBeVisible();
  await expect(picked.filter({ hasText: 'Concourse camera' })).toBeVisible();
  await expect(page.getByRole('radio', { name: /Thorough/ })).toBeChecked();

  // The same file again: the library's copy is offered instead of a dead end.
  await videoInput(page).setInputFiles(await emptyFootage(2));
  const duplicate = page.getByTestId('video-upload');
  await expect(duplicate.getByText(/already uploaded this file/)).toBeVisible({ timeout: 60_000 });
  await duplicate.getByRole('button', { name: 'Use the existing video' }).click();
  await expect(duplicate.getByText('Using the copy already in the library')).toBeVisible();
  await expect(page.getByText('2 videos selected')).toBeVisible();

  // A photo dropped on the footage uploader is refused with a message, not silently.
  await videoInput(page).setInputFiles(await photoWithoutFace());
  await expect(page.getByRole('alert').filter({ hasText: 'is not a video' })).toBeVisible();

  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL(/\/searches\/[0-9a-f-]{36}$/);
  await page.goto('/searches/new');
  await expect(page.getByText('0 videos selected')).toBeVisible();
});

test('a photo card that failed can be removed', async ({ page }) => {
  await signedInUser(page.request, 'photocard');
  await page.goto('/searches/new');
  await page.getByLabel('First name').fill('Card');
  await page.getByLabel('Last name').fill('Remover');
  await page.getByRole('button', { name: 'Save and add photos' }).click();
  await photoInput(page).setInputFiles(await photoWithoutFace());
  const card = page.getByTestId('photo-preview');
  await expect(card.getByTestId('photo-message')).toBeVisible({ timeout: 60_000 });
  await card.getByRole('button', { name: 'Remove no-face.jpg' }).click();
  await expect(card).toHaveCount(0);
});
