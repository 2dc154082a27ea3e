import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, shoot, signedInUser, test } from './support/fixtures.js';

/** The reset link from the newest e-mail to `address` in DATA_DIR/outbox. */
function resetLinkFor(address: string): string | undefined {
  const outbox = path.join(process.env.E2E_DATA_DIR ?? '', 'outbox');
  // The mail is written after the answer; the outbox appears with the first one.
  if (!existsSync(outbox)) return undefined;
  const mails = readdirSync(outbox)
    .map((name) => readFileSync(path.join(outbox, name), 'utf8'))
    .filter((mail) => mail.includes(address));
  const text = (mails.at(-1) ?? '').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  return /\/reset-password\?token=[^\s"<>]+/.exec(text)?.[0];
}

test('a forgotten password is reset through the mailed link', async ({ page }) => {
  const user = await signedInUser(page.request, 'forgot');
  await page.context().clearCookies();
  const email = `${user.username}@example.com`;

  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await shoot(page, 'forgot-password');
  await page.getByLabel(/^E-mail/).fill(email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByText('Check your e-mail')).toBeVisible();

  await expect.poll(() => resetLinkFor(email), { timeout: 15_000 }).toBeTruthy();
  await page.goto(resetLinkFor(email)!);
  await page.getByLabel(/^New password/).fill('copper-kettle-93');
  await page.getByLabel(/^Repeat the new password/).fill('copper-kettle-93');
  await shoot(page, 'reset-password');
  await page.getByRole('button', { name: 'Set the new password' }).click();
  await expect(page.getByText('Your new password is set')).toBeVisible();

  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel(/^Username or e-mail/).fill(email);
  await page.getByLabel(/^Password/).fill('copper-kettle-93');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
});
