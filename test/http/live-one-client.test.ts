import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchChannel } from '../../src/events/event.types.js';
import { get, put, type LoggedInUser } from '../support/client.js';
import {
  addLiveFeed,
  createCase,
  signUp,
  startSearch,
  waitForSearch,
} from '../support/factories.js';
import { testDialects } from '../support/databases.js';
import { mediaChildren, scratchDir } from '../support/media-fixtures.js';
import { referencePhoto, startWorkers } from '../support/search-fixtures.js';
import { makeFaceStreamVideo, startTsFeed, type TsFeed } from '../support/stream-servers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const scratch = scratchDir('mpf-live-one-client-');
/** The face is in the picture from this second of the stream on. */
const FACE_FROM_S = 3;
let stream: string;
let photo: string;

beforeAll(async () => {
  photo = await referencePhoto(scratch.file('ada.jpg'));
  stream = makeFaceStreamVideo(scratch.file('camera.mp4'), {
    seconds: 20,
    face: photo,
    fromS: FACE_FROM_S,
    toS: 12,
  });
});
afterAll(() => scratch.remove());

const [dialect] = testDialects;

describe(`a live feed from a camera that serves one client at a time (${dialect!.name})`, () => {
  let t: TestApp;
  let owner: LoggedInUser;
  let feed: TsFeed;

  beforeAll(async () => {
    t = await startTestApp(dialect!, {
      LIVE_PROBE_TIMEOUT_SECONDS: '2',
      LIVE_FEED_ALLOWED_NETWORKS: '127.0.0.0/8',
    });
    owner = await signUp(t.baseUrl);
    feed = await startTsFeed(stream, undefined, undefined, { maxViewers: 1 });
  }, 120_000);

  afterAll(async () => {
    await feed.stop();
    await t.close();
    expect(mediaChildren()).toEqual([]);
  });

  it('is watched over one connection that feeds both the relay and the analysis', async () => {
    const caseId = await createCase(t.baseUrl, owner, photo);
    const videoId = await addLiveFeed(t.baseUrl, owner, 'Side door', feed.url);
    // The camera starts its picture afresh (the face shows FACE_FROM_S later) and forgets the
    // connection test made when the feed was added.
    await feed.stop();
    await feed.start();
    const connectionsBefore = feed.connections;
    const search = await startSearch(t.baseUrl, owner, {
      missingPersonId: caseId,
      videoIds: [videoId],
      preset: 'fast',
    });
    let firstMatchAt: number | undefined;
    await t.deps.events.subscribe(searchChannel(search.id), (event) => {
      if (event.type === 'search.detection') firstMatchAt ??= Date.now();
    });
    await startWorkers(t);

    const relayUrl = `/api/searches/${search.id}/live/${videoId}/index.m3u8`;
    let relayed = false;
    const deadline = Date.now() + 60_000;
    while ((!firstMatchAt || !relayed) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (!relayed) {
        const playlist = await get(t.baseUrl, owner, relayUrl);
        relayed = playlist.status === 200 && (await playlist.text()).includes('.ts');
      }
    }
    const firstMatchMs = firstMatchAt === undefined ? undefined : firstMatchAt - feed.startedAt;
    console.info(`first match ${firstMatchMs} ms after the camera started its picture`);
    expect(relayed).toBe(true);
    expect(firstMatchMs).toBeDefined();
    // The face shows 3 s in; a starved analysis saw it only in a later loop of the stream.
    expect(firstMatchMs).toBeLessThan(15_000);
    expect(feed.connections - connectionsBefore).toBe(1);

    expect((await put(t.baseUrl, owner, `/api/searches/${search.id}/cancel`)).status).toBe(200);
    await waitForSearch(t.baseUrl, owner, search.id, ['cancelled']);
  }, 120_000);
});
