import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, json, type LoggedInUser, put } from '../support/client.js';
import * as factory from '../support/factories.js';
import {
  openSocket,
  referencePhoto,
  searchFootage,
  searchReadUrls,
  startWorkers,
} from '../support/search-fixtures.js';
import { testDialects } from '../support/databases.js';
import { scratchDir } from '../support/media-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const scratch = scratchDir('mpf-searches-');
// Ten sampled frames a second keep the analysis busy long enough to pause or cancel it mid-way.
const SLOW = { preset: 'balanced', sampledFps: 10 };

interface AppearanceBody {
  id: string;
  startMs: number;
  endMs: number;
  detectionCount: number;
  bestDetectionId: string;
  frameUrl: string;
  faceUrl: string;
  clipUrl: string | null;
}
interface StatusBody {
  status: string;
  videos: { videoId: string; status: string; processedMs: number; progress: number }[];
}
interface ErrorBody {
  error: { code: string; message: string; details?: { status?: string } };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  await referencePhoto(scratch.file('ada.jpg'));
  // Long enough that a search is still running when a test pauses or cancels it.
  await searchFootage(scratch.file('platform.mp4'), 20);
  await searchFootage(scratch.file('concourse.mp4'), 3);
});
afterAll(() => scratch.remove());

describe.each(testDialects)('searches on $name', (dialect) => {
  let t: TestApp;
  let owner: LoggedInUser;
  let stranger: LoggedInUser;
  let caseId: string;
  let videoId: string;
  let baseline: AppearanceBody[];
  let baselineSearchId: string;

  const statusOf = async (searchId: string) =>
    json<StatusBody>(await get(t.baseUrl, owner, `/api/searches/${searchId}/status`), 200);
  const appearancesOf = async (searchId: string) =>
    (
      await json<{ items: AppearanceBody[] }>(
        await get(t.baseUrl, owner, `/api/searches/${searchId}/appearances`),
        200,
      )
    ).items;
  /** Waits until the video has been analysed past its first second. */
  async function waitUntilRunning(searchId: string): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const status = await statusOf(searchId);
      if (status.status === 'running' && (status.videos[0]?.processedMs ?? 0) > 0) return;
      if (status.status !== 'queued' && status.status !== 'running')
        throw new Error(`search ended before it could be stopped: ${JSON.stringify(status)}`);
      if (Date.now() > deadline) throw new Error(`search never ran: ${JSON.stringify(status)}`);
      await sleep(50);
    }
  }

  beforeAll(async () => {
    t = await startTestApp(dialect);
    await startWorkers(t);
    owner = await factory.signUp(t.baseUrl);
    stranger = await factory.signUp(t.baseUrl);
    caseId = await factory.createCase(t.baseUrl, owner, scratch.file('ada.jpg'));
    videoId = await factory.uploadVideo(
      t.baseUrl,
      owner,
      scratch.file('platform.mp4'),
      'Platform 3',
    );
    const search = await factory.startSearch(t.baseUrl, owner, {
      missingPersonId: caseId,
      videoIds: [videoId],
      ...SLOW,
    });
    baselineSearchId = search.id;
    await factory.waitForSearch(t.baseUrl, owner, search.id, ['completed']);
    baseline = await appearancesOf(search.id);
  });
  afterAll(async () => t?.close());

  it('finds one appearance in an uninterrupted run (the baseline of the other tests)', () => {
    expect(baseline).toHaveLength(1);
    expect(baseline[0]?.detectionCount).toBeGreaterThan(20);
  });

  it('refuses to search a case without an enrolled photo, saying so', async () => {
    const emptyCase = await factory.createCase(t.baseUrl, owner);
    const response = await fetch(`${t.baseUrl}/api/searches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ missingPersonId: emptyCase, videoIds: [videoId] }),
    });
    const body = await json<ErrorBody>(response, 400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).toMatch(/no enrolled photo/);
  });

  it("refuses another user's video and another user's case", async () => {
    const otherVideo = await factory.uploadVideo(
      t.baseUrl,
      stranger,
      scratch.file('platform.mp4'),
      'x',
    );
    const withOtherVideo = await fetch(`${t.baseUrl}/api/searches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ missingPersonId: caseId, videoIds: [otherVideo] }),
    });
    expect((await json<ErrorBody>(withOtherVideo, 400)).error.message).toMatch(/unknown video/);
    const withOtherCase = await fetch(`${t.baseUrl}/api/searches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stranger.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ missingPersonId: caseId, videoIds: [otherVideo] }),
    });
    expect(withOtherCase.status).toBe(404);
  });

  it('pauses within a second, resumes from the checkpoint and finds the same appearance', async () => {
    const search = await factory.startSearch(t.baseUrl, owner, {
      missingPersonId: caseId,
      videoIds: [videoId],
      ...SLOW,
    });
    await waitUntilRunning(search.id);

    expect(
      await json(await put(t.baseUrl, owner, `/api/searches/${search.id}/pause`), 200),
    ).toEqual({
      status: 'paused',
    });
    const again = await json<ErrorBody>(
      await put(t.baseUrl, owner, `/api/searches/${search.id}/pause`),
      409,
    );
    expect(again.error).toMatchObject({ code: 'INVALID_STATE', details: { status: 'paused' } });

    await sleep(1000);
    const paused = await statusOf(search.id);
    expect(paused.status).toBe('paused');
    expect(paused.videos[0]?.status).toBe('paused');
    await sleep(1500);
    const stillPaused = await statusOf(search.id);
    expect(stillPaused.videos[0]?.processedMs).toBe(paused.videos[0]?.processedMs);
    expect(stillPaused.videos[0]?.progress).toBeLessThan(100);
    const active = await json<{ items: { id: string; status: string; progress: number }[] }>(
      await get(t.baseUrl, owner, '/api/dashboard/active-searches'),
      200,
    );
    const shown = active.items.find((item) => item.id === search.id);
    expect(shown?.status).toBe('paused');
    expect(shown?.progress).toBeGreaterThan(0);
    expect(shown?.progress).toBeLessThan(100);

    const resumed = await json<{ status: string }>(
      await put(t.baseUrl, owner, `/api/searches/${search.id}/resume`),
      200,
    );
    expect(['queued', 'running']).toContain(resumed.status);
    await factory.waitForSearch(t.baseUrl, owner, search.id, ['completed']);
    const after = await appearancesOf(search.id);
    expect(after.map((a) => [a.startMs, a.endMs, a.detectionCount])).toEqual(
      baseline.map((a) => [a.startMs, a.endMs, a.detectionCount]),
    );
    const resumeDone = await json<ErrorBody>(
      await put(t.baseUrl, owner, `/api/searches/${search.id}/resume`),
      409,
    );
    expect(resumeDone.error.details?.status).toBe('completed');
  });

  it('cancels a running search for good; a cancelled search cannot be paused or resumed', async () => {
    const search = await factory.startSearch(t.baseUrl, owner, {
      missingPersonId: caseId,
      videoIds: [videoId],
      ...SLOW,
    });
    await waitUntilRunning(search.id);
    expect(
      await json(await put(t.baseUrl, owner, `/api/searches/${search.id}/cancel`), 200),
    ).toEqual({ status: 'cancelled' });
    for (const action of ['pause', 'resume', 'cancel']) {
      const refused = await json<ErrorBody>(
        await put(t.baseUrl, owner, `/api/searches/${search.id}/${action}`),
        409,
      );
      expect(refused.error.details?.status).toBe('cancelled');
    }
    await sleep(1000);
    const cancelled = await statusOf(search.id);
    await sleep(1500);
    const later = await statusOf(search.id);
    expect(later.status).toBe('cancelled');
    expect(later.videos[0]?.status).toBe('cancelled');
    expect(later.videos[0]?.processedMs).toBe(cancelled.videos[0]?.processedMs);
  });

  it('fails a broken video with its reason while the other video of the search completes', async () => {
    const brokenId = await factory.uploadVideo(
      t.baseUrl,
      owner,
      scratch.file('concourse.mp4'),
      'Broken',
    );
    const stored = await t.deps.db
      .selectFrom('videos')
      .select('storage_key')
      .where('id', '=', brokenId)
      .executeTakeFirstOrThrow();
    // The disk copy is damaged after upload: the analysis meets a file ffmpeg cannot read.
    writeFileSync(
      path.join(t.config.DATA_DIR, 'files', stored.storage_key ?? ''),
      'not a video any more',
    );
    const search = await factory.startSearch(t.baseUrl, owner, {
      missingPersonId: caseId,
      videoIds: [videoId, brokenId],
      preset: 'fast',
    });
    const done = await factory.waitForSearch(t.baseUrl, owner, search.id, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    const broken = done.videos.find((video) => video.videoId === brokenId);
    expect(broken?.status).toBe('failed');
    expect(broken?.error?.code).toBe('UNSUPPORTED_VIDEO');
    expect(done.videos.find((video) => video.videoId === videoId)?.status).toBe('completed');
    expect(await appearancesOf(search.id)).toHaveLength(1);
  });

  it('answers 404 to another user on every endpoint and file of a search, and on the WebSocket', async () => {
    const id = baselineSearchId;
    const [appearance] = baseline as [AppearanceBody];
    const urls = searchReadUrls(id, appearance);
    for (const url of urls) {
      expect((await get(t.baseUrl, owner, url)).status, url).toBe(200);
      const response = await get(t.baseUrl, stranger, url);
      expect(response.status, url).toBe(404);
      expect(((await response.json()) as ErrorBody).error.code, url).toBe('NOT_FOUND');
    }
    for (const action of ['pause', 'resume', 'cancel']) {
      expect((await put(t.baseUrl, stranger, `/api/searches/${id}/${action}`)).status).toBe(404);
    }
    const list = await json<{ items: { id: string }[]; total: number }>(
      await get(t.baseUrl, stranger, '/api/searches'),
      200,
    );
    expect(list.items.map((item) => item.id)).not.toContain(id);
    const stats = await json<{ searches: { total: number }; matches: number }>(
      await get(t.baseUrl, stranger, '/api/dashboard/stats'),
      200,
    );
    expect(stats.searches.total).toBe(0);
    expect(stats.matches).toBe(0);

    const socket = await openSocket(t.baseUrl, { token: stranger.token });
    socket.send({ type: 'subscribe', searchId: id });
    const refused = await socket.waitFor((message) => message.type === 'error');
    expect(refused.code).toBe('NOT_FOUND');
    expect(socket.messages.some((message) => message.type === 'snapshot')).toBe(false);
    socket.close();

    await expect(openSocket(t.baseUrl, {})).rejects.toThrow(/401/);
    await expect(openSocket(t.baseUrl, { token: 'not-a-token' })).rejects.toThrow(/401/);
  });

  it('authenticates the WebSocket by session cookie from its own site only, and sends a snapshot of a finished search', async () => {
    await expect(
      openSocket(t.baseUrl, {
        headers: { cookie: owner.cookie, origin: 'https://elsewhere.example' },
      }),
    ).rejects.toThrow(/403/);
    const socket = await openSocket(t.baseUrl, {
      headers: { cookie: owner.cookie, origin: t.baseUrl },
    });
    socket.send({ type: 'subscribe', searchId: baselineSearchId });
    const snapshot = await socket.waitFor((message) => message.type === 'snapshot');
    expect(snapshot.status).toBe('completed');
    expect((snapshot.appearances as AppearanceBody[]).map((a) => a.id)).toEqual(
      baseline.map((a) => a.id),
    );
    expect((snapshot.videos as { progress: number }[])[0]?.progress).toBe(100);
    socket.close();
  });

  it('lists searches newest first and shows active ones on the dashboard', async () => {
    const list = await json<{ items: { id: string; status: string; matchCount: number }[] }>(
      await get(t.baseUrl, owner, '/api/searches?pageSize=100'),
      200,
    );
    expect(list.items.at(-1)?.id).toBe(baselineSearchId);
    expect(list.items.at(-1)?.matchCount).toBe(1);
    const completed = await json<{ items: { status: string }[] }>(
      await get(t.baseUrl, owner, '/api/searches?status=completed'),
      200,
    );
    expect(completed.items.every((item) => item.status === 'completed')).toBe(true);
    const recent = await json<{ items: unknown[] }>(
      await get(t.baseUrl, owner, '/api/dashboard/recent-searches?limit=2'),
      200,
    );
    expect(recent.items).toHaveLength(2);
    const active = await json<{ items: unknown[] }>(
      await get(t.baseUrl, owner, '/api/dashboard/active-searches'),
      200,
    );
    expect(active.items).toHaveLength(0);
  });
});
