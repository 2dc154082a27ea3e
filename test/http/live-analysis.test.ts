import { createHmac } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAlertAddressConfirmed } from '../../src/auth/email.service.js';
import { searchChannel, type AppEvent } from '../../src/events/event.types.js';
import type { JobResult } from '../../src/jobs/job.types.js';
import { liveAnalysisSource } from '../../src/live/live.source.js';
import { relayKeyPrefix } from '../../src/media/live.relay.js';
import { outboxDir } from '../../src/mail/mailer.js';
import { linkToken, mailsTo } from '../support/mail.js';
import { resolveSettings } from '../../src/recognition/presets.js';
import {
  findSearch,
  findSearchVideoById,
  findVideo,
  insertSearch,
  insertSearchVideos,
} from '../../src/searches/search.repository.js';
import { runAnalysis } from '../../src/searches/search-analysis.job.js';
import { newId, nowIso } from '../../src/shared/clock.js';
import { bearer, json, type LoggedInUser } from '../support/client.js';
import { createCase, signUp } from '../support/factories.js';
import { referencePhoto } from '../support/search-fixtures.js';
import { testDialects } from '../support/databases.js';
import { mediaChildren, scratchDir } from '../support/media-fixtures.js';
import {
  freePort,
  makeFaceStreamVideo,
  startHangingServer,
  startTextServer,
  startTsFeed,
  type SimpleServer,
  type TsFeed,
} from '../support/stream-servers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The person walks into the camera's view 5 s after the stream starts, and leaves at 10 s. */
const FACE_FROM_S = 5;
const FACE_TO_S = 10;
const scratch = scratchDir('mpf-live-analysis-');
let stream: string;

interface Received {
  at: number;
  event: AppEvent;
}

interface WebhookCall {
  at: number;
  body: string;
  signature: string | undefined;
}

beforeAll(async () => {
  const face = await referencePhoto(scratch.file('ada.jpg'));
  stream = makeFaceStreamVideo(scratch.file('camera.mp4'), {
    seconds: 30,
    face,
    fromS: FACE_FROM_S,
    toS: FACE_TO_S,
  });
});
afterAll(() => scratch.remove());

async function startWebhookReceiver(): Promise<SimpleServer & { calls: WebhookCall[] }> {
  const calls: WebhookCall[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const signature = request.headers['x-mpf-signature'];
      calls.push({
        at: Date.now(),
        body: Buffer.concat(chunks).toString('utf8'),
        signature: typeof signature === 'string' ? signature : undefined,
      });
      response.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  return {
    calls,
    url: `http://127.0.0.1:${port}/hooks/mpf`,
    async stop() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

const post = (t: TestApp, user: LoggedInUser, url: string, body: unknown, method = 'POST') =>
  fetch(`${t.baseUrl}${url}`, {
    method,
    headers: { ...bearer(user.token), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const get = (t: TestApp, user: LoggedInUser, url: string) =>
  fetch(`${t.baseUrl}${url}`, { headers: bearer(user.token) });

describe.each(testDialects)('live camera feeds on $name', (dialect) => {
  let t: TestApp;
  let owner: LoggedInUser;
  let stranger: LoggedInUser;
  let feed: TsFeed;
  let receiver: SimpleServer & { calls: WebhookCall[] };
  let searchId: string;
  let videoId: string;
  let secret: string;
  let epochMs: number;
  let job: Promise<JobResult>;
  const events: Received[] = [];
  const stoppers: (() => Promise<unknown>)[] = [];

  /** The first event matching `match` that arrived at or after `since` (ms since the epoch). */
  const waitForEvent = async (
    match: (event: AppEvent) => boolean,
    timeoutMs = 30_000,
    since = 0,
  ): Promise<Received> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = events.find((received) => received.at >= since && match(received.event));
      if (found) return found;
      if (Date.now() > deadline) throw new Error('the expected event did not come');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  beforeAll(async () => {
    // The camera and the webhook receiver listen on loopback, which must be allowed for them.
    t = await startTestApp(dialect, {
      LIVE_PROBE_TIMEOUT_SECONDS: '2',
      LIVE_STALL_SECONDS: '3',
      LIVE_FEED_ALLOWED_NETWORKS: '127.0.0.0/8',
      WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8',
    });
    stoppers.push(() => t.close());
    owner = await signUp(t.baseUrl);
    stranger = await signUp(t.baseUrl);
    // The alert address receives nothing until it opened the link mailed to it (done here, before
    // the clock of the frame-to-match delay starts).
    await ensureAlertAddressConfirmed(t.deps, owner.user.id, 'duty@example.org', t.app.log);
    const [confirmation] = await mailsTo(t.config.DATA_DIR, 'duty@example.org');
    const confirmed = await fetch(`${t.baseUrl}/api/auth/email/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: linkToken(confirmation!, '/confirm-email') }),
    });
    expect(confirmed.status).toBe(200);
    const caseId = await createCase(t.baseUrl, owner, scratch.file('ada.jpg'));
    receiver = await startWebhookReceiver();
    stoppers.push(() => receiver.stop());
    feed = await startTsFeed(stream);
    stoppers.push(() => feed.stop());

    const video = await json<{ id: string }>(
      await post(t, owner, '/api/videos/live', { title: 'Station entrance', url: feed.url }),
      201,
    );
    videoId = video.id;
    // The search rows are made here and the loop is run directly, so the test holds the job's
    // signal and the clock the frame-to-match delay is measured against (the API path is
    // covered by live-search.test.ts).
    searchId = newId();
    const now = nowIso();
    const settings = resolveSettings('fast', { sampledFps: 2 });
    await insertSearch(t.deps.db, {
      id: searchId,
      owner_id: owner.user.id,
      missing_person_id: caseId,
      status: 'running',
      preset: 'fast',
      sampled_fps: settings.sampledFps,
      threshold: settings.threshold,
      priority: 0,
      started_at: now,
      created_at: now,
      updated_at: now,
    });
    const searchVideoId = newId();
    await insertSearchVideos(t.deps.db, [
      {
        id: searchVideoId,
        search_id: searchId,
        video_id: videoId,
        status: 'running',
        processed_ms: 0,
        frames_analysed: 0,
        started_at: now,
        created_at: now,
        updated_at: now,
      },
    ]);
    const alerts = await json<{ webhookSecret: string }>(
      await post(
        t,
        owner,
        `/api/searches/${searchId}/alerts`,
        { webhookUrl: receiver.url, email: 'duty@example.org' },
        'PUT',
      ),
      200,
    );
    secret = alerts.webhookSecret;

    const unsubscribe = await t.deps.events.subscribe(searchChannel(searchId), (event) =>
      events.push({ at: Date.now(), event }),
    );
    stoppers.push(unsubscribe);
    const [search, sv, row] = await Promise.all([
      findSearch(t.deps.db, searchId),
      findSearchVideoById(t.deps.db, searchVideoId),
      findVideo(t.deps.db, videoId),
    ]);
    epochMs = Date.parse(now);
    const abort = new AbortController();
    job = runAnalysis(
      t.deps,
      {
        id: newId(),
        name: 'search.analyse-video',
        payload: { searchId, searchVideoId },
        attempt: 1,
        signal: abort.signal,
        heartbeat: () => Promise.resolve(),
      },
      search!,
      sv!,
      row!,
      liveAnalysisSource,
    );
    stoppers.push(async () => {
      abort.abort();
      await job.catch(() => undefined);
    });
  }, 120_000);

  afterAll(async () => {
    for (const stop of stoppers.reverse()) await stop();
    expect(mediaChildren()).toEqual([]);
  });

  it('raises the match within 2 s of its frame, with a signed webhook and an e-mail', async () => {
    const { at, event } = await waitForEvent((e) => e.type === 'search.detection', 45_000);
    if (event.type !== 'search.detection') throw new Error('unreachable');
    const frameAt = epochMs + event.appearance.endMs;
    expect(at - frameAt).toBeLessThan(2000);
    // The face is on screen from 5 s of the stream: the match cannot come before it.
    expect(epochMs + event.appearance.startMs).toBeGreaterThan(
      feed.startedAt + FACE_FROM_S * 1000 - 1000,
    );
    expect(at).toBeLessThan(feed.startedAt + FACE_FROM_S * 1000 + 4000);

    const deadline = Date.now() + 15_000;
    while (receiver.calls.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const call = receiver.calls[0]!;
    const expected = `sha256=${createHmac('sha256', secret).update(call.body).digest('hex')}`;
    expect(call.signature).toBe(expected);
    const payload = JSON.parse(call.body) as {
      event: string;
      camera: string;
      appearance: { id: string };
      frameJpegBase64: string;
      missingPerson: { firstName: string };
    };
    expect(payload).toMatchObject({ event: 'live.match', camera: 'Station entrance' });
    expect(payload.appearance.id).toBe(event.appearance.id);
    expect(payload.missingPerson.firstName).toBe('Ada');
    expect(Buffer.from(payload.frameJpegBase64, 'base64').subarray(0, 2)).toEqual(
      Buffer.from([0xff, 0xd8]),
    );
    expect(receiver.calls).toHaveLength(1);

    const outbox = outboxDir(t.config);
    const mailDeadline = Date.now() + 10_000;
    const sightings = () =>
      existsSync(outbox)
        ? readdirSync(outbox)
            .filter((file) => file.endsWith('.eml'))
            .map((file) => readFileSync(path.join(outbox, file), 'utf8'))
            .filter((mail) => mail.includes('Possible sighting'))
        : [];
    while (sightings().length === 0 && Date.now() < mailDeadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const mails = sightings();
    expect(mails).toHaveLength(1);
    expect(mails[0]).toContain('Possible sighting of Ada Example on Station entrance');
    expect(mails[0]).toContain('filename=frame.jpg');
  });

  it("relays the feed as HLS to the search's owner and to nobody else", async () => {
    const playlistUrl = `/api/searches/${searchId}/live/${videoId}/index.m3u8`;
    const status = await json<{ items: { videoId: string; state: string; hlsUrl: string }[] }>(
      await get(t, owner, `/api/searches/${searchId}/live`),
      200,
    );
    expect(status.items).toEqual([
      expect.objectContaining({ videoId, state: 'online', hlsUrl: playlistUrl }),
    ]);
    const playlist = await get(t, owner, playlistUrl);
    expect(playlist.status).toBe(200);
    expect(playlist.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    const text = await playlist.text();
    expect(text).toContain('#EXTM3U');
    const segment = /seg\d+\.ts/.exec(text)![0];
    const media = await get(t, owner, `/api/searches/${searchId}/live/${videoId}/${segment}`);
    expect(media.status).toBe(200);
    expect(media.headers.get('content-type')).toBe('video/mp2t');
    expect((await media.arrayBuffer()).byteLength).toBeGreaterThan(1000);

    expect((await get(t, stranger, playlistUrl)).status).toBe(404);
    expect(
      (await get(t, stranger, `/api/searches/${searchId}/live/${videoId}/${segment}`)).status,
    ).toBe(404);
    expect((await get(t, stranger, `/api/searches/${searchId}/live`)).status).toBe(404);
    expect((await get(t, stranger, `/api/searches/${searchId}/alerts`)).status).toBe(404);
    expect((await fetch(`${t.baseUrl}${playlistUrl}`)).status).toBe(401);
  });

  it('keeps a clip of the live appearance, cut from the relayed footage', async () => {
    const { event } = await waitForEvent(
      (e) => e.type === 'search.detection' && Boolean(e.appearance.clipUrl),
      30_000,
    );
    if (event.type !== 'search.detection') throw new Error('unreachable');
    const clip = await get(t, owner, event.appearance.clipUrl!);
    expect(clip.status).toBe(200);
    expect(clip.headers.get('content-type')).toBe('video/mp4');
    expect((await clip.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
  });

  it('marks a dropped feed offline and online again when it returns, keeping the search and its matches', async () => {
    const droppedAt = Date.now();
    await feed.stop();
    // Only an offline report after the drop counts: a stall under load may have caused one earlier.
    const offline = await waitForEvent(
      (e) => e.type === 'search.live' && e.state === 'offline',
      15_000,
      droppedAt,
    );
    expect(offline.at - droppedAt).toBeLessThan(6000);
    const status = await json<{ items: { state: string; error: string | null }[] }>(
      await get(t, owner, `/api/searches/${searchId}/live`),
      200,
    );
    expect(status.items[0]?.state).toBe('offline');
    const video = await json<{ status: string }>(
      await get(t, owner, `/api/videos/${videoId}`),
      200,
    );
    expect(video.status).toBe('offline');

    const returnedAt = Date.now();
    await feed.start();
    await waitForEvent((e) => e.type === 'search.live' && e.state === 'online', 45_000, returnedAt);
    const back = await json<{ status: string }>(await get(t, owner, `/api/videos/${videoId}`), 200);
    expect(back.status).toBe('ready');
    const search = await json<{ status: string }>(
      await get(t, owner, `/api/searches/${searchId}`),
      200,
    );
    expect(search.status).toBe('running');
    const appearances = await json<{ items: unknown[] }>(
      await get(t, owner, `/api/searches/${searchId}/appearances`),
      200,
    );
    expect(appearances.items.length).toBeGreaterThanOrEqual(1);
  });

  it('stops when the search is paused and removes the relay', async () => {
    const paused = await fetch(`${t.baseUrl}/api/searches/${searchId}/pause`, {
      method: 'PUT',
      headers: bearer(owner.token),
    });
    expect(paused.status).toBe(200);
    const result = await job;
    expect(result).toMatchObject({ status: 'skipped' });
    const playlist = `${relayKeyPrefix(owner.user.id, searchId, videoId)}index.m3u8`;
    expect(await t.deps.storage.stat(playlist)).toBeUndefined();
  });

  describe('connection test', () => {
    const test = (url: string) => post(t, owner, '/api/videos/live/test', { url });

    it('reports what a working feed carries', async () => {
      const result = await json<object>(await test(feed.url), 200);
      expect(result).toEqual({ ok: true, codec: 'h264', width: 640, height: 480, fps: 25 });
    });

    it('answers UNREACHABLE, UNSUPPORTED_STREAM and TIMEOUT with their codes', async () => {
      const code = async (url: string) => {
        const response = await test(url);
        expect(response.status).toBe(422);
        return ((await response.json()) as { error: { code: string } }).error.code;
      };
      expect(await code(`http://127.0.0.1:${await freePort()}/feed.ts`)).toBe('UNREACHABLE');
      const text = await startTextServer();
      stoppers.push(() => text.stop());
      expect(await code(text.url)).toBe('UNSUPPORTED_STREAM');
      const hanging = await startHangingServer('rtsp');
      stoppers.push(() => hanging.stop());
      expect(await code(hanging.url)).toBe('TIMEOUT');
    });

    it('refuses other schemes and anonymous callers', async () => {
      expect((await test('file:///etc/passwd')).status).toBe(400);
      const anonymous = await fetch(`${t.baseUrl}/api/videos/live/test`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: feed.url }),
      });
      expect(anonymous.status).toBe(401);
    });
  });
});
