import { expect, searchReadyToWatch, shoot, signedInUser, test } from './support/fixtures.js';
import { referencePhoto, searchFootage } from './support/media.js';

test('the owner shares a case with a viewer, who sees it and its results but cannot change it', async ({
  page,
  browser,
  baseURL,
}) => {
  const owner = await signedInUser(page.request, 'owner');
  const { searchId, caseId } = await searchReadyToWatch(page.request, owner, {
    photo: await referencePhoto(),
    video: await searchFootage(8),
    preset: 'fast',
  });

  const other = await browser.newContext({ baseURL });
  const viewerPage = await other.newPage();
  const viewer = await signedInUser(viewerPage.request, 'viewer');
  await viewerPage.goto(`/cases/${caseId}`);
  await expect(viewerPage.getByRole('alert')).toContainText(/not found|does not exist/i);

  await page.goto(`/cases/${caseId}`);
  await page.getByRole('button', { name: 'Share' }).click();
  const dialog = page.getByRole('dialog', { name: /Share the case of Grace Hopper/ });
  await dialog.getByLabel('E-mail or username').fill(`${viewer.username}@example.com`);
  await dialog.getByRole('button', { name: 'Add' }).click();
  const member = dialog.getByTestId(`member-${viewer.username}`);
  await expect(member).toBeVisible();
  await expect(member.getByLabel(`Role of ${viewer.username}`)).toHaveValue('Viewer');
  await shoot(page, 'share-dialog', false);
  await page.keyboard.press('Escape');

  await viewerPage.goto('/cases');
  const row = viewerPage.getByRole('row', { name: /Grace Hopper/ });
  await expect(row.getByTestId('shared-badge')).toHaveText('Shared with you · viewer');
  await row.getByRole('link', { name: 'Grace Hopper' }).click();
  await expect(viewerPage.getByRole('heading', { name: /Grace Hopper/ })).toBeVisible();
  await expect(viewerPage.getByTestId('shared-badge')).toBeVisible();
  for (const name of ['Edit', 'Delete', 'Share', 'Search for Grace']) {
    await expect(viewerPage.getByRole('button', { name })).toHaveCount(0);
  }
  await expect(viewerPage.locator('input[type=file]')).toHaveCount(0);
  await shoot(viewerPage, 'shared-case-viewer');

  await viewerPage.goto(`/searches/${searchId}`);
  await expect(viewerPage.getByTestId('search-status')).toHaveText('completed', {
    timeout: 120_000,
  });
  await expect(viewerPage.getByTestId('match-count')).not.toHaveText('0');
  await expect(viewerPage.getByRole('button', { name: /Pause|Cancel search/ })).toHaveCount(0);
  await viewerPage.getByRole('link', { name: 'View results' }).click();
  await expect(viewerPage.getByText(/Grace Hopper was found/)).toBeVisible();

  const edit = await viewerPage.request.patch(`/api/missing-persons/${caseId}`, {
    headers: { 'x-csrf-token': viewer.csrfToken },
    data: { notes: 'changed by a viewer' },
  });
  expect(edit.status()).toBe(403);
  expect(((await edit.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
  await other.close();
});
