import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchChannel, type AppEvent } from '../../src/events/event.types.js';
import { startJobWorkers } from '../../src/job-handlers.js';
import { bearer, json, type LoggedInUser, put } from '../support/client.js';
import * as factory from '../support/factories.js';
import { referencePhoto } from '../support/search-fixtures.js';
import { testDialects } from '../support/databases.js';
import { mediaChildren, scratchDir } from '../support/media-fixtures.js';
import { makeFaceStreamVideo, startTsFeed, type TsFeed } from '../support/stream-servers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const scratch = scratchDir('mpf-live-search-');
let stream: string;
let photo: string;

beforeAll(async () => {
  photo = await referencePhoto(scratch.file('ada.jpg'));
  stream = makeFaceStreamVideo(scratch.file('camera.mp4'), {
    seconds: 20,
    face: photo,
    fromS: 3,
    toS: 12,
  });
});
afterAll(() => scratch.remove());

describe.each(testDialects)('a search over a live feed on $name', (dialect) => {
  let t: TestApp;
  let owner: LoggedInUser;
  let feed: TsFeed;
  const events: AppEvent[] = [];

  beforeAll(async () => {
    t = await startTestApp(dialect, {
      LIVE_PROBE_TIMEOUT_SECONDS: '2',
      // The camera listens on loopback, which must be allowed for it.
      LIVE_FEED_ALLOWED_NETWORKS: '127.0.0.0/8',
    });
    owner = await factory.signUp(t.baseUrl);
    feed = await startTsFeed(stream);
  }, 120_000);

  afterAll(async () => {
    await feed.stop();
    await t.close();
    expect(mediaChildren()).toEqual([]);
  });

  it('is started by POST /api/searches, finds the person in the stream and stops on cancel', async () => {
    const caseId = await factory.createCase(t.baseUrl, owner, photo);
    const videoId = await factory.addLiveFeed(t.baseUrl, owner, 'Platform 2', feed.url);
    const search = await factory.startSearch(t.baseUrl, owner, {
      missingPersonId: caseId,
      videoIds: [videoId],
      preset: 'fast',
    });
    await t.deps.events.subscribe(searchChannel(search.id), (event) => events.push(event));
    await startJobWorkers(t.deps);

    const deadline = Date.now() + 60_000;
    while (!events.some((event) => event.type === 'search.detection') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(events.some((event) => event.type === 'search.detection')).toBe(true);
    const appearances = await json<{ items: { videoId: string; bestScore: number }[] }>(
      await fetch(`${t.baseUrl}/api/searches/${search.id}/appearances`, {
        headers: bearer(owner.token),
      }),
      200,
    );
    expect(appearances.items[0]?.videoId).toBe(videoId);

    expect((await put(t.baseUrl, owner, `/api/searches/${search.id}/cancel`)).status).toBe(200);
    await factory.waitForSearch(t.baseUrl, owner, search.id, ['cancelled']);
  }, 120_000);
});
