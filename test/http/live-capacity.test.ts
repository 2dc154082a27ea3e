import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoggedInUser, put } from '../support/client.js';
import * as factory from '../support/factories.js';
import { referencePhoto, searchFootage, startWorkers } from '../support/search-fixtures.js';
import { testDialects } from '../support/databases.js';
import { scratchDir } from '../support/media-fixtures.js';
import { startHangingServer, type SimpleServer } from '../support/stream-servers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const scratch = scratchDir('mpf-live-capacity-');
let photo: string;
let footage: string;

beforeAll(async () => {
  photo = await referencePhoto(scratch.file('ada.jpg'));
  footage = await searchFootage(scratch.file('footage.mp4'), 3);
});
afterAll(() => scratch.remove());

describe.each(testDialects)('live feeds beside recorded footage on $name', (dialect) => {
  let t: TestApp;
  let owner: LoggedInUser;
  let camera: SimpleServer;

  beforeAll(async () => {
    // One recorded-analysis slot: a live feed that took it would stall every other search.
    t = await startTestApp(dialect, {
      JOB_CONCURRENCY: '1',
      LIVE_MAX_FEEDS: '1',
      LIVE_PROBE_TIMEOUT_SECONDS: '2',
      LIVE_FEED_ALLOWED_NETWORKS: '127.0.0.0/8',
    });
    owner = await factory.signUp(t.baseUrl);
    camera = await startHangingServer();
  }, 120_000);

  afterAll(async () => {
    await camera.stop();
    await t.close();
  });

  it('analyses recorded footage while a live search watches a camera that never answers', async () => {
    const caseId = await factory.createCase(t.baseUrl, owner, photo);
    const feedId = await factory.addLiveFeed(t.baseUrl, owner, 'Silent camera', camera.url);
    const live = await factory.startSearch(t.baseUrl, owner, {
      missingPersonId: caseId,
      videoIds: [feedId],
      preset: 'fast',
    });
    await startWorkers(t);
    await factory.waitForSearch(t.baseUrl, owner, live.id, ['running']);

    const videoId = await factory.uploadVideo(t.baseUrl, owner, footage, 'Platform 1');
    const recorded = await factory.startSearch(t.baseUrl, owner, {
      missingPersonId: caseId,
      videoIds: [videoId],
      preset: 'fast',
    });
    const done = await factory.waitForSearch(t.baseUrl, owner, recorded.id, [
      'completed',
      'failed',
    ]);
    expect(done.status).toBe('completed');
    expect((await factory.waitForSearch(t.baseUrl, owner, live.id, ['running'])).status).toBe(
      'running',
    );

    expect((await put(t.baseUrl, owner, `/api/searches/${live.id}/cancel`)).status).toBe(200);
  });
});
