import { expect, photoInput, shoot, signedInUser, test } from './support/fixtures.js';
import { groupPhoto, photoWithoutFace, referencePhoto } from './support/media.js';

test('a photo without a face says so, a group photo lets the person pick the face, a portrait is enrolled', async ({
  page,
}) => {
  await signedInUser(page.request, 'photos');
  await page.goto('/searches/new');
  await page.getByLabel('First name').fill('Mary');
  await page.getByLabel('Last name').fill('Somerville');
  await page.getByRole('button', { name: 'Save and add photos' }).click();
  await expect(page.getByText('Mary Somerville · 0 usable photos')).toBeVisible();

  await photoInput(page).setInputFiles(await photoWithoutFace());
  const noFace = page.getByTestId('photo-preview').first();
  await expect(noFace.getByTestId('photo-message')).toHaveText(
    'No face was found in this photo. Use a photo where the face is clearly visible.',
    { timeout: 60_000 },
  );
  await expect(page.getByText('Mary Somerville · 0 usable photos')).toBeVisible();

  await photoInput(page).setInputFiles(await groupPhoto());
  const group = page.getByTestId('photo-preview').nth(1);
  await expect(group.getByTestId('photo-message')).toContainText('several people', {
    timeout: 60_000,
  });
  await expect(group.getByRole('button', { name: /Use face \d/ })).toHaveCount(3);
  await shoot(page, 'new-search-photo-messages');
  await group.getByRole('button', { name: 'Use face 2' }).click();
  await expect(group.getByText('Face found')).toBeVisible({ timeout: 60_000 });
  await expect(group.getByTestId('photo-face-box')).toHaveCount(1);

  await photoInput(page).setInputFiles(await referencePhoto());
  await expect(page.getByTestId('photo-preview').nth(2).getByText('Face found')).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByText('Mary Somerville · 2 usable photos')).toBeVisible();
  await expect(page.getByText('Before searching:')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Search', exact: true })).toBeDisabled();
});
