import { violations as axeViolations } from './support/axe.js';
import {
  caseWithPhoto,
  expect,
  signedInAdmin,
  signedInUser,
  test,
  uploadVideo,
} from './support/fixtures.js';
import { emptyFootage, referencePhoto } from './support/media.js';
import { mockListItem, mockSearchLists } from './support/mock-lists.js';
import { viewports } from './support/pages.js';

test('the dashboard counts short footage in seconds, not "0.0 h"', async ({ page }) => {
  const user = await signedInUser(page.request, 'durations');
  await uploadVideo(page.request, user, await emptyFootage(16), 'Short clip');
  await page.goto('/');
  await expect(page.getByText('16 s · 0 live')).toBeVisible();
  await expect(page.getByText(/0\.0 h/)).toHaveCount(0);
});

for (const [size, viewport] of Object.entries(viewports)) {
  test(`a new user is guided (open a case → add footage → search), each step shown done or to do, on a ${size}`, async ({
    page,
  }) => {
    await page.setViewportSize(viewport);
    const user = await signedInUser(page.request, 'guide');
    await page.goto('/');
    const guide = page.getByRole('region', { name: 'Get started' });
    const steps = guide.getByTestId('first-run-step');
    await expect(steps).toHaveCount(3);
    await expect(steps.nth(0)).toContainText('Open a case');
    await expect(steps.nth(1)).toContainText('Add footage');
    await expect(steps.nth(2)).toContainText('Search');
    for (const step of await steps.all()) await expect(step).toContainText('To do');
    expect(await axeViolations(page)).toEqual([]);
    // The guide comes first, right under the title, and its next step is one tap away.
    await expect(guide).toBeInViewport();
    await expect(guide.getByRole('link', { name: 'Open a case' })).toBeVisible();
    // No empty list is a dead end: each offers what to do.
    await expect(page.getByText('No search is running')).toBeVisible();
    for (const empty of ['No search is running', 'No searches yet', 'No open case']) {
      const box = page.getByText(empty).locator('xpath=../..');
      await expect(box.getByRole('link')).toBeVisible();
    }

    await caseWithPhoto(page.request, user, await referencePhoto());
    await uploadVideo(page.request, user, await emptyFootage(1), 'Lobby camera');
    await page.reload();
    await expect(steps.nth(0)).toContainText('Done');
    await expect(steps.nth(1)).toContainText('Done');
    await expect(steps.nth(2)).toContainText('To do');
    await expect(guide.getByRole('link', { name: 'Start a search' })).toBeVisible();
    await expect(guide.getByRole('link', { name: 'Open a case' })).toHaveCount(0);
    // Their own case is on the dashboard.
    await expect(page.getByRole('link', { name: 'Grace Hopper' })).toBeVisible();
  });
}

test('the dashboard leads with the searches; the server load is a small indicator, its details for admins', async ({
  page,
}) => {
  await signedInUser(page.request, 'lead');
  await mockSearchLists(page, [
    mockListItem(1, 'running', { matchCount: 1, videoCount: 1 }),
    mockListItem(2, 'completed', { matchCount: 3, videoCount: 2 }),
  ]);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Active searches' })).toBeInViewport();
  // Counts read as words: "1 match", never "1 matches".
  await expect(page.getByTestId('active-search')).toContainText('1 match');
  await expect(page.getByText(/\b1 matches\b/)).toHaveCount(0);
  await expect(page.getByText(/\b1 videos\b/)).toHaveCount(0);
  // An investigator is not shown the workers and the queue.
  await expect(page.getByText(/Workers busy/)).toHaveCount(0);
  await expect(page.getByTestId('system-status')).toHaveCount(0);

  await page.context().clearCookies();
  await signedInAdmin(page.request);
  for (const viewport of Object.values(viewports)) {
    await page.setViewportSize(viewport);
    await page.goto('/');
    const indicator = page.getByTestId('system-status');
    await expect(indicator).toHaveText(/System: (idle|analysing)/);
    expect((await indicator.boundingBox())?.height).toBeLessThan(50);
    await expect(page.getByText(/Workers busy/)).toBeHidden();
    await indicator.click();
    await expect(page.getByText(/Workers busy/)).toBeVisible();
    await page.keyboard.press('Escape');
  }
});
