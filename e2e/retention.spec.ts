import { expect, signedInUser, test } from './support/fixtures.js';

test('a case is closed, held, released and kept longer from its page', async ({ page }) => {
  const user = await signedInUser(page.request, 'retention');
  const created = await page.request.post('/api/missing-persons', {
    headers: { 'x-csrf-token': user.csrfToken },
    data: { firstName: 'Rosa', lastName: 'Held' },
  });
  const caseId = ((await created.json()) as { id: string }).id;

  await page.goto(`/cases/${caseId}`);
  await expect(page.getByText(/Kept while open; deleted 90 days after/)).toBeVisible();

  await page.getByRole('radiogroup').getByText('Closed', { exact: true }).click();
  const deletion = page.getByText(/Will be deleted on/);
  await expect(deletion).toBeVisible();

  await page.getByRole('switch', { name: 'Legal hold' }).click();
  await page.getByLabel('Reason for the hold').fill('Court order 118');
  await page.getByRole('button', { name: 'Place hold' }).click();
  await expect(page.getByText('Under legal hold')).toBeVisible();
  await expect(page.getByText(/Court order 118/)).toBeVisible();
  await expect(deletion).toBeHidden();

  await page.reload();
  await expect(page.getByText('Under legal hold')).toBeVisible();
  await page.getByRole('switch', { name: 'Legal hold' }).click();
  await expect(deletion).toBeVisible();

  await page.getByLabel('Keep for (days after closing)').fill('400');
  await page.getByRole('button', { name: 'Save retention' }).click();
  await expect(page.getByText(/deleted 400 days after it was closed/)).toBeVisible();

  await page.getByRole('radiogroup').getByText('Open (missing)', { exact: true }).click();
  await expect(page.getByText(/Kept while open; deleted 400 days after/)).toBeVisible();
  await expect(deletion).toBeHidden();
});
