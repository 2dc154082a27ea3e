import { expect, signedInUser, test } from './support/fixtures.js';
import { MOCK_SEARCH_ID, mockSearch, mockVideo } from './support/mock-search.js';

const VIDEO = '00000000-0000-4000-8000-0000000000e1';

test('a match labelled 100 % stays at the 100 % filter, and the score and threshold are explained', async ({
  page,
}) => {
  await signedInUser(page.request, 'scores');
  const video = mockVideo(VIDEO, 'Platform camera', {
    status: 'running',
    durationMs: 60_000,
    processedMs: 30_000,
  });
  const match = {
    id: '00000000-0000-4000-8000-0000000000a1',
    videoId: VIDEO,
    startMs: 2_000,
    endMs: 5_000,
    bestScore: 0.996,
    detectionCount: 12,
    box: { x: 60, y: 70, width: 160, height: 220 },
    bestTimeMs: 3_000,
    bestDetectionId: null,
    frameUrl: '/favicon.svg',
    faceUrl: '/favicon.svg',
    clipUrl: null,
  };
  await mockSearch(page, { status: 'running', threshold: 0.95, videos: [video] }, [], [match]);
  await page.goto(`/searches/${MOCK_SEARCH_ID}`);
  const item = page.getByTestId('match-item');
  await expect(item).toContainText('100%');
  await expect(page.getByTestId('score-help')).toContainText('how sure');
  await expect(page.getByTestId('score-help')).toContainText('at least 95%');

  await page.getByRole('slider', { name: 'Lowest score shown' }).focus();
  await page.keyboard.press('End');
  await expect(page.getByText('Show matches scoring at least 100%')).toBeVisible();
  await expect(item).toHaveCount(1);
});
