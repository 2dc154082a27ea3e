import { readFileSync } from 'node:fs';
import { expect, shoot, signedInUser, test } from './support/fixtures.js';
import { searchFootage } from './support/media.js';

test('a case and a video are edited, then deleted after a confirmation', async ({ page }) => {
  const user = await signedInUser(page.request, 'manage');
  const headers = { 'x-csrf-token': user.csrfToken };
  const created = await page.request.post('/api/missing-persons', {
    headers,
    data: { firstName: 'Emmy', lastName: 'Noter', age: 53 },
  });
  const caseId = ((await created.json()) as { id: string }).id;
  const video = await page.request.post('/api/videos', {
    headers,
    multipart: {
      title: 'Lobby camera',
      file: {
        name: 'lobby.mp4',
        mimeType: 'video/mp4',
        buffer: readFileSync(await searchFootage(8)),
      },
    },
  });
  const videoId = ((await video.json()) as { id: string }).id;

  await page.goto(`/cases/${caseId}`);
  await expect(page.getByText('No reference photo yet')).toBeVisible();
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel(/^Last name/).fill('Noether');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('heading', { name: /Emmy Noether/ })).toBeVisible();
  await page.getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('This cannot be undone');
  await shoot(page, 'case-delete-confirmation', false);
  await dialog.getByRole('button', { name: 'Keep it' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name: /Emmy Noether/ })).toBeVisible();
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(page).toHaveURL(/\/cases$/);
  await expect(page.getByText('No cases yet')).toBeVisible();

  await page.goto(`/videos/${videoId}`);
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel(/^Title/).fill('Lobby camera, north');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('heading', { name: /Lobby camera, north/ })).toBeVisible();
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(page).toHaveURL(/\/videos$/);
  await expect(page.getByText('No footage yet')).toBeVisible();
});
