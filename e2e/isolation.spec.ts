import { expect, searchReadyToWatch, shoot, signedInUser, test } from './support/fixtures.js';
import { referencePhoto, searchFootage } from './support/media.js';

test("a second user cannot open the first user's search, case or video by URL", async ({
  page,
  browser,
  baseURL,
}) => {
  const owner = await signedInUser(page.request, 'owner');
  const { searchId, caseId, videoId } = await searchReadyToWatch(page.request, owner, {
    photo: await referencePhoto(),
    video: await searchFootage(8),
    preset: 'fast',
  });
  await page.goto(`/searches/${searchId}`);
  await expect(page.getByRole('heading', { name: /Search(ing)? for Grace Hopper/ })).toBeVisible();

  const other = await browser.newContext({ baseURL });
  const intruder = await other.newPage();
  await signedInUser(intruder.request, 'intruder');
  for (const path of [`/searches/${searchId}`, `/searches/${searchId}/results`]) {
    await intruder.goto(path);
    await expect(intruder.getByRole('alert')).toContainText(/not found|does not exist/i);
    await expect(intruder.getByText('Grace Hopper')).toHaveCount(0);
    await expect(intruder.locator('video')).toHaveCount(0);
  }
  await shoot(intruder, 'search-not-found');
  await intruder.goto(`/cases/${caseId}`);
  await expect(intruder.getByRole('alert')).toContainText(/not found|does not exist/i);
  await intruder.goto(`/videos/${videoId}`);
  await expect(intruder.getByRole('alert')).toContainText(/not found|does not exist/i);
  const stream = await intruder.request.get(`/api/videos/${videoId}/stream`);
  expect(stream.status()).toBe(404);
  await other.close();
});
