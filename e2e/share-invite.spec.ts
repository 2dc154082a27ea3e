import {
  expect,
  mailTo,
  PASSWORD,
  searchReadyToWatch,
  signedInUser,
  test,
  uniqueName,
} from './support/fixtures.js';
import { referencePhoto, searchFootage } from './support/media.js';

test('the owner shares a case with an e-mail that has no account; the invitee joins as its viewer', async ({
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

  const name = uniqueName('family');
  const email = `${name}@example.org`;
  await page.goto(`/cases/${caseId}`);
  await page.getByRole('button', { name: 'Share' }).click();
  const dialog = page.getByRole('dialog', { name: /Share the case of Grace Hopper/ });
  await dialog.getByLabel('E-mail or username').fill(email);
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(dialog.getByText(`Invitation sent to ${email}`)).toBeVisible();

  const mail = await mailTo(email);
  expect(mail).toContain('The case "Grace Hopper" is shared with you as viewer.');
  const link = /(http:\/\/\S+\/accept-invitation\?token=[\w-]+)/.exec(mail)?.[1];
  expect(link, 'the invitation mail carries the link').toBeDefined();

  const invitee = await (await browser.newContext({ baseURL })).newPage();
  await invitee.goto(link!);
  await expect(invitee.getByText('You are invited as viewer')).toBeVisible();
  await invitee.getByLabel(/^Username/).fill(name);
  await invitee.getByLabel(/^Password/).fill(PASSWORD);
  await invitee.getByLabel(/^Repeat the password/).fill(PASSWORD);
  await invitee.getByRole('button', { name: 'Create account' }).click();
  // Account creation and sign-in each hash the password: slow on a busy machine.
  await expect(invitee).toHaveURL(new RegExp(`${baseURL}/?$`), { timeout: 60_000 });
  await expect(invitee.getByText(`Welcome, ${name}`)).toBeVisible();
  await expect(invitee.getByRole('link', { name: 'New search' })).toHaveCount(0);

  await page.reload();
  await page.getByRole('button', { name: 'Share' }).click();
  await expect(page.getByTestId(`member-${name}`).getByLabel(`Role of ${name}`)).toHaveValue(
    'Viewer',
  );

  await invitee.goto('/videos');
  await expect(invitee.getByRole('heading', { name: 'Footage' })).toBeVisible();
  await expect(invitee.getByRole('link', { name: 'Add footage' })).toHaveCount(0);
  await invitee.goto('/searches');
  await expect(invitee.getByRole('heading', { name: 'Searches' })).toBeVisible();
  await expect(invitee.getByRole('link', { name: 'New search' })).toHaveCount(0);
  await invitee.goto('/cases');
  await expect(invitee.getByRole('link', { name: 'Open a case' })).toHaveCount(0);
  const row = invitee.getByRole('row', { name: /Grace Hopper/ });
  await expect(row.getByTestId('shared-badge')).toHaveText('Shared with you · viewer');
  await row.getByRole('link', { name: 'Grace Hopper' }).click();
  await expect(invitee.getByRole('heading', { name: /Grace Hopper/ })).toBeVisible();
  for (const button of ['Edit', 'Delete', 'Share', 'Search for Grace']) {
    await expect(invitee.getByRole('button', { name: button })).toHaveCount(0);
  }

  await invitee.goto(`/searches/${searchId}`);
  await expect(invitee.getByTestId('search-status')).toHaveText('completed', {
    timeout: 120_000,
  });
  await invitee.getByRole('link', { name: 'View results' }).click();
  await expect(invitee.getByText(/Grace Hopper was found/)).toBeVisible();

  const { csrfToken } = (await (await invitee.request.get('/api/auth/user')).json()) as {
    csrfToken: string;
  };
  const edit = await invitee.request.patch(`/api/missing-persons/${caseId}`, {
    headers: { 'x-csrf-token': csrfToken },
    data: { notes: 'changed by the invited viewer' },
  });
  expect(edit.status()).toBe(403);
  expect(((await edit.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
  await invitee.context().close();
});
