import { expect, PASSWORD, signedInUser, test } from './support/fixtures.js';

test('the settings page downloads my data and deletes my account after asking for the password', async ({
  page,
}) => {
  const user = await signedInUser(page.request, 'leaving');
  const created = await page.request.post('/api/missing-persons', {
    data: { firstName: 'Ada', lastName: 'Example' },
    headers: { 'x-csrf-token': user.csrfToken },
  });
  expect(created.status()).toBe(201);
  const caseId = ((await created.json()) as { id: string }).id;

  await page.goto('/settings');
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download my data' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^my-data-\d{4}-\d{2}-\d{2}\.zip$/);
  const zip = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of zip) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  expect(bytes.subarray(0, 2).toString()).toBe('PK');
  expect(bytes.includes(Buffer.from(`cases/${caseId}/case.json`))).toBe(true);

  const danger = page.getByRole('form', { name: 'Delete my account' });
  await expect(danger.getByText('Cases you share with others stay with them')).toBeVisible();
  await danger.getByLabel('Your password').fill('not-the-password');
  await danger.getByRole('button', { name: 'Delete my account' }).click();
  await expect(danger.getByText('The password is wrong')).toBeVisible();

  await danger.getByLabel('Your password').fill(PASSWORD);
  await danger.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page).toHaveURL(/\/login\?accountDeleted=1$/);
  await expect(page.getByText('Your account was deleted.')).toBeVisible();
  const signIn = await page.request.post('/api/auth/login', {
    data: { username: user.username, password: PASSWORD },
  });
  expect(signIn.status()).toBe(401);
});
