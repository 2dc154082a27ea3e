import { expect, PASSWORD, signedInUser, test } from './support/fixtures.js';

test('when the session ends on the server, the next action leads to login and back', async ({
  page,
  playwright,
  baseURL,
}) => {
  const user = await signedInUser(page.request, 'session');
  await page.goto('/cases');
  await expect(page.getByRole('heading', { name: 'Cases' })).toBeVisible();

  // End the session from outside the browser (as idle expiry or "sign out everywhere" would);
  // the browser still holds its now-dead cookie.
  const cookie = (await page.context().cookies()).find((c) => c.name === 'mpf_session');
  expect(cookie).toBeDefined();
  const outside = await playwright.request.newContext({ baseURL });
  const logout = await outside.post('/api/auth/logout', {
    headers: { cookie: `mpf_session=${cookie!.value}`, 'x-csrf-token': user.csrfToken },
  });
  expect(logout.status()).toBeLessThan(300);
  await outside.dispose();

  await page.getByRole('link', { name: 'Footage' }).click();
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fvideos$/);
  await expect(page.getByText('Your session has ended')).toBeVisible();

  await page.getByLabel(/^Username or e-mail/).fill(user.username);
  await page.getByLabel(/^Password/).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/videos$/);
  await expect(page.getByRole('heading', { name: 'Footage' })).toBeVisible();
});

test('a wrong password is answered on the login form', async ({ page }) => {
  const user = await signedInUser(page.request, 'wrongpw');
  await page.context().clearCookies();
  await page.goto('/login');
  await page.getByLabel(/^Username or e-mail/).fill(user.username);
  await page.getByLabel(/^Password/).fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
});
