import { expect, signedInUser, test, uploadVideo } from './support/fixtures.js';
import { emptyFootage } from './support/media.js';

test('the dashboard counts short footage in seconds, not "0.0 h"', async ({ page }) => {
  const user = await signedInUser(page.request, 'durations');
  await uploadVideo(page.request, user, await emptyFootage(16), 'Short clip');
  await page.goto('/');
  await expect(page.getByText('16 s · 0 live')).toBeVisible();
  await expect(page.getByText(/0\.0 h/)).toHaveCount(0);
});
