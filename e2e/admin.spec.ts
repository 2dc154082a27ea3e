import {
  expect,
  mailTo,
  PASSWORD,
  shoot,
  signedInAdmin,
  signedInUser,
  test,
  uniqueName,
} from './support/fixtures.js';

test('an admin invites by e-mail; the invitee opens the mailed link and creates the account', async ({
  page,
  browser,
  baseURL,
}) => {
  await signedInAdmin(page.request);
  await page.goto('/');
  await page.getByRole('link', { name: 'Administration' }).click();
  await expect(page.getByRole('heading', { name: 'Administration' })).toBeVisible();

  const name = uniqueName('invitee');
  const email = `${name}@example.org`;
  await page.getByLabel('E-mail to invite').fill(email);
  await page.getByRole('textbox', { name: 'Invite as' }).click();
  await page.getByRole('option', { name: 'Viewer' }).click();
  await page.getByRole('button', { name: 'Invite' }).click();
  await expect(page.getByText(`Invitation sent to ${email}`)).toBeVisible();
  const row = page.getByRole('row', { name: email });
  await expect(row.getByText('pending', { exact: true })).toBeVisible();
  await shoot(page, 'admin');

  const link = /(http:\/\/\S+\/accept-invitation\?token=[\w-]+)/.exec(await mailTo(email))?.[1];
  expect(link, 'the invitation mail carries the link').toBeDefined();
  expect(link!.startsWith(baseURL!)).toBe(true);

  const invitee = await (await browser.newContext({ baseURL })).newPage();
  await invitee.goto(link!);
  await expect(invitee.getByText('You are invited as viewer')).toBeVisible();
  await expect(invitee.getByLabel('E-mail')).toHaveValue(email);
  await invitee.getByLabel(/^Username/).fill(name);
  await invitee.getByLabel(/^Password/).fill(PASSWORD);
  await invitee.getByLabel(/^Repeat the password/).fill(PASSWORD);
  await shoot(invitee, 'accept-invitation');
  await invitee.getByRole('button', { name: 'Create account' }).click();
  // Account creation and sign-in each hash the password: slow on a busy machine.
  await expect(invitee).toHaveURL(new RegExp(`${baseURL}/?$`), { timeout: 60_000 });
  await expect(invitee.getByText(`Welcome, ${name}`)).toBeVisible();
  // A viewer's navigation has neither the administration page nor "New search".
  const navigation = invitee.getByRole('navigation', { name: 'Main' });
  await expect(navigation.getByRole('link', { name: 'Cases' })).toBeVisible();
  await expect(navigation.getByRole('link', { name: 'Administration' })).toHaveCount(0);
  await expect(navigation.getByRole('link', { name: 'New search' })).toHaveCount(0);
  await invitee.context().close();

  await page.reload();
  await expect(
    page.getByRole('row', { name: email }).getByText('accepted', { exact: true }),
  ).toBeVisible();
});

test('an admin disables a user, who is signed out on their next request', async ({
  page,
  browser,
  baseURL,
}) => {
  const userContext = await browser.newContext({ baseURL });
  const userPage = await userContext.newPage();
  const user = await signedInUser(userPage.request, 'leaver');
  await userPage.goto('/cases');
  await expect(userPage.getByRole('heading', { name: 'Cases' })).toBeVisible();

  await signedInAdmin(page.request);
  await page.goto('/admin');
  await page.getByLabel('Find users').fill(user.username);
  const row = page.getByRole('row', { name: user.username });
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: 'Disable' }).click();
  await expect(row.getByText('Disabled', { exact: true })).toBeVisible();

  await userPage.getByRole('link', { name: 'Footage' }).click();
  await expect(userPage).toHaveURL(/\/login\?redirectTo=%2Fvideos$/);
  await userPage.getByLabel(/^Username or e-mail/).fill(user.username);
  await userPage.getByLabel(/^Password/).fill(PASSWORD);
  await userPage.getByRole('button', { name: 'Sign in' }).click();
  await expect(userPage.getByText('This account is disabled: ask an administrator')).toBeVisible();
  await userContext.close();

  await row.getByRole('button', { name: 'Enable' }).click();
  await expect(row.getByText('Active', { exact: true })).toBeVisible();
});
