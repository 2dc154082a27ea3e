import { expect, PASSWORD, signedInUser, test } from './support/fixtures.js';

test('the settings page lists sessions, ends another one and logs out everywhere', async ({
  page,
  playwright,
  baseURL,
}) => {
  const user = await signedInUser(page.request, 'sessions');
  // A second sign-in, from a phone.
  const phone = await playwright.request.newContext({
    baseURL,
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile/15E148 Safari/604.1',
  });
  const login = await phone.post('/api/auth/login', {
    data: { username: user.username, password: PASSWORD },
  });
  const phoneToken = ((await login.json()) as { token: string }).token;

  await page.goto('/settings');
  const table = page.getByRole('table', { name: 'Active sessions' });
  await expect(table.getByRole('row')).toHaveCount(3);
  await expect(table.getByText('this device')).toBeVisible();
  const phoneRow = table.getByRole('row').filter({ hasText: 'Safari on iOS' });
  await phoneRow.getByRole('button', { name: 'End' }).click();
  await expect(table.getByRole('row')).toHaveCount(2);
  const refused = await phone.get('/api/auth/user', {
    headers: { authorization: `Bearer ${phoneToken}` },
  });
  expect(refused.status()).toBe(401);
  await phone.dispose();

  const emailForm = page.getByRole('form', { name: 'E-mail' });
  await emailForm.getByLabel('New e-mail').fill(`moved-${user.username}@example.org`);
  await emailForm.getByLabel('Current password').fill(PASSWORD);
  await emailForm.getByRole('button', { name: 'Change e-mail' }).click();
  await expect(page.getByText('Check your new inbox')).toBeVisible();

  await page.getByRole('button', { name: 'Log out everywhere' }).click();
  await expect(page).toHaveURL(/\/login/);
});
