import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, PASSWORD, signedInUser, test } from './support/fixtures.js';

/** The confirmation link of the newest e-mail to `address` in DATA_DIR/outbox. */
function confirmationLinkFor(address: string): string | undefined {
  const outbox = path.join(process.env.E2E_DATA_DIR ?? '', 'outbox');
  if (!existsSync(outbox)) return undefined;
  const mail = readdirSync(outbox)
    .filter((name) => name.endsWith('.eml'))
    .map((name) => readFileSync(path.join(outbox, name), 'utf8'))
    .filter((text) => text.includes(`To: ${address}`))
    .at(-1);
  const text = (mail ?? '').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  return /\/confirm-email\?token=[^\s"<>]+/.exec(text)?.[0];
}

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
  const newEmail = `moved-${user.username}@example.org`;
  await emailForm.getByLabel('New e-mail').fill(newEmail);
  await emailForm.getByLabel('Current password').fill(PASSWORD);
  await emailForm.getByRole('button', { name: 'Change e-mail' }).click();
  await expect(page.getByText('Check your new inbox')).toBeVisible();
  await expect.poll(() => confirmationLinkFor(newEmail), { timeout: 15_000 }).toBeTruthy();
  await page.goto(confirmationLinkFor(newEmail)!);
  await expect(page.getByText(`${newEmail} is now the e-mail of your account`)).toBeVisible();
  await page.getByRole('link', { name: 'Go to the settings' }).click();
  await expect(emailForm.getByText(newEmail)).toBeVisible();
  await expect(emailForm.getByText('confirmed', { exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Log out everywhere' }).click();
  await expect(page).toHaveURL(/\/login/);
});
