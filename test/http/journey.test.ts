import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, get, json, type LoggedInUser } from '../support/client.js';
import * as factory from '../support/factories.js';
import {
  FOOTAGE_MS,
  openSocket,
  referencePhoto,
  searchFootage,
  SHOWN_FROM_MS,
  SHOWN_TO_MS,
  startWorkers,
  unzipEntries,
} from '../support/search-fixtures.js';
import { testDialects } from '../support/databases.js';
import { scratchDir } from '../support/media-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const scratch = scratchDir('mpf-journey-');
const BALANCED_STEP_MS = 200;

interface Appearance {
  id: string;
  videoId: string;
  startMs: number;
  endMs: number;
  bestScore: number;
  detectionCount: number;
  bestTimeMs: number;
  bestDetectionId: string | null;
  frameUrl: string;
  faceUrl: string;
  clipUrl: string | null;
}

beforeAll(async () => {
  await referencePhoto(scratch.file('ada.jpg'));
  await searchFootage(scratch.file('platform.mp4'));
});
afterAll(() => scratch.remove());

describe.each(testDialects)('the whole journey on $name', (dialect) => {
  let t: TestApp;
  let user: LoggedInUser;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    await startWorkers(t);
    user = await factory.signUp(t.baseUrl);
  });
  afterAll(async () => t?.close());

  it('finds the person from 2 s to 5 s, live over the WebSocket, in every result view and export', async () => {
    const caseId = await factory.createCase(t.baseUrl, user, scratch.file('ada.jpg'));
    const videoId = await factory.uploadVideo(
      t.baseUrl,
      user,
      scratch.file('platform.mp4'),
      'Platform 3',
    );
    const socket = await openSocket(t.baseUrl, { token: user.token });

    const search = await factory.startSearch(t.baseUrl, user, {
      missingPersonId: caseId,
      videoIds: [videoId],
      preset: 'balanced',
    });
    expect(search.status).toBe('queued');
    socket.send({ type: 'subscribe', searchId: search.id });

    const snapshot = await socket.waitFor((m) => m.type === 'snapshot');
    expect(snapshot.searchId).toBe(search.id);
    await socket.waitFor((m) => m.type === 'search.progress' && m.videoId === videoId);
    const detection = await socket.waitFor((m) => m.type === 'search.detection');
    expect((detection.appearance as Appearance).videoId).toBe(videoId);
    await socket.waitFor((m) => m.type === 'search.status' && m.status === 'completed');
    socket.close();

    const done = await factory.waitForSearch(t.baseUrl, user, search.id, ['completed', 'failed']);
    expect(done.status).toBe('completed');

    // Appearances: one passage, at the right time (within one sampled frame), with a clip.
    const { items: appearances } = await json<{ items: Appearance[] }>(
      await get(t.baseUrl, user, `/api/searches/${search.id}/appearances`),
      200,
    );
    expect(appearances).toHaveLength(1);
    const [seen] = appearances as [Appearance];
    expect(Math.abs(seen.startMs - SHOWN_FROM_MS)).toBeLessThanOrEqual(BALANCED_STEP_MS);
    expect(Math.abs(seen.endMs - SHOWN_TO_MS)).toBeLessThanOrEqual(BALANCED_STEP_MS);
    expect(seen.bestScore).toBeGreaterThan(0.5);
    expect(seen.clipUrl).not.toBeNull();

    // The best frame, the face crop and the clip are served to the owner.
    const frame = await get(t.baseUrl, user, seen.frameUrl);
    expect(frame.status).toBe(200);
    expect(frame.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await frame.arrayBuffer()).subarray(0, 2)).toEqual(
      Buffer.from([0xff, 0xd8]),
    );
    expect((await get(t.baseUrl, user, seen.faceUrl)).status).toBe(200);
    const clipRange = await fetch(`${t.baseUrl}${seen.clipUrl}`, {
      headers: { ...bearer(user.token), range: 'bytes=0-99' },
    });
    expect(clipRange.status).toBe(206);
    expect((await clipRange.arrayBuffer()).byteLength).toBe(100);
    expect(clipRange.headers.get('content-range')).toMatch(/^bytes 0-99\/\d+$/);

    // Detections: every sampled frame between 2 s and 5 s, boxes on the left half of the frame.
    const detections = await json<{
      items: {
        id: string;
        timeMs: number;
        box: { x: number; width: number };
        appearanceId: string;
        frameUrl: string;
        faceUrl: string;
      }[];
      total: number;
    }>(await get(t.baseUrl, user, `/api/searches/${search.id}/detections?pageSize=200`), 200);
    expect(detections.total).toBe(seen.detectionCount);
    expect(detections.total).toBeGreaterThanOrEqual(14);
    for (const item of detections.items) {
      expect(item.timeMs).toBeGreaterThanOrEqual(SHOWN_FROM_MS - BALANCED_STEP_MS);
      expect(item.timeMs).toBeLessThanOrEqual(SHOWN_TO_MS + BALANCED_STEP_MS);
      expect(item.box.x + item.box.width).toBeLessThan(320);
      expect(item.appearanceId).toBe(seen.id);
    }
    // A detection that was never the best of its appearance gets its images from the footage.
    const ordinary = detections.items.find((item) => item.id !== seen.bestDetectionId);
    const ordinaryFrame = await get(t.baseUrl, user, ordinary?.frameUrl ?? '');
    expect(ordinaryFrame.status).toBe(200);
    expect(ordinaryFrame.headers.get('content-type')).toBe('image/jpeg');
    expect((await get(t.baseUrl, user, ordinary?.faceUrl ?? '')).status).toBe(200);

    const filtered = await json<{ total: number }>(
      await get(t.baseUrl, user, `/api/searches/${search.id}/detections?fromMs=3000&toMs=4000`),
      200,
    );
    expect(filtered.total).toBeGreaterThan(0);
    expect(filtered.total).toBeLessThan(detections.total);

    // Summary and detections summary.
    const summary = await json<{
      found: boolean;
      appearanceCount: number;
      firstSeen: { videoId: string; timeMs: number };
      bestMatch: Appearance;
      videos: { appearanceCount: number; status: string }[];
    }>(await get(t.baseUrl, user, `/api/searches/${search.id}/summary`), 200);
    expect(summary.found).toBe(true);
    expect(summary.appearanceCount).toBe(1);
    expect(summary.firstSeen).toEqual({ videoId, timeMs: seen.startMs });
    expect(summary.bestMatch.id).toBe(seen.id);
    expect(summary.videos[0]).toMatchObject({ appearanceCount: 1, status: 'completed' });
    const counts = await json<{ total: number; histogram: { count: number }[] }>(
      await get(t.baseUrl, user, `/api/searches/${search.id}/detections/summary`),
      200,
    );
    expect(counts.total).toBe(detections.total);
    expect(counts.histogram.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(counts.total);

    // Progress reached the end of the footage.
    const status = await json<{ videos: { progress: number; processedMs: number }[] }>(
      await get(t.baseUrl, user, `/api/searches/${search.id}/status`),
      200,
    );
    expect(status.videos[0]?.progress).toBe(100);
    expect(status.videos[0]?.processedMs).toBeGreaterThanOrEqual(FOOTAGE_MS - 1000);

    // Exports.
    const exported = await get(t.baseUrl, user, `/api/searches/${search.id}/export?format=json`);
    expect(exported.headers.get('content-disposition')).toMatch(
      /^attachment; filename=".+\.json"$/,
    );
    const results = (await exported.json()) as { appearances: Appearance[] };
    expect(results.appearances.map((a) => [a.startMs, a.endMs])).toEqual([
      [seen.startMs, seen.endMs],
    ]);

    const csv = await (
      await get(t.baseUrl, user, `/api/searches/${search.id}/export?format=csv`)
    ).text();
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^appearance_id,video_id,video_title,/);
    expect(lines).toHaveLength(detections.total + 1);
    expect(lines[1]).toContain('Platform 3');
    expect(lines[1]).toContain('00:00:02.');

    const zip = await get(t.baseUrl, user, `/api/searches/${search.id}/export?format=zip`);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    const entries = unzipEntries(Buffer.from(await zip.arrayBuffer()));
    const names = [...entries.keys()];
    expect(names).toContain('report.html');
    expect(names).toContain('results.json');
    expect(names).toContain(`frames/${seen.bestDetectionId}.jpg`);
    expect(names).toContain(`faces/${seen.bestDetectionId}.jpg`);
    expect(names).toContain(`clips/${seen.id}.mp4`);
    expect(names).toContain(`frames/${ordinary?.id}.jpg`);
    expect(entries.get(`clips/${seen.id}.mp4`)?.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(entries.get('report.html')?.toString('utf8')).toContain('Ada Example');

    // Every step is in the audit trail.
    const audit = await json<{ items: { action: string }[] }>(
      await get(t.baseUrl, user, '/api/audit?pageSize=100'),
      200,
    );
    const actions = audit.items.map((item) => item.action);
    expect(actions).toContain('search.create');
    expect(actions.filter((action) => action === 'search.export')).toHaveLength(3);

    // The dashboard counts it.
    const stats = await json<{ searches: { completed: number }; matches: number }>(
      await get(t.baseUrl, user, '/api/dashboard/stats'),
      200,
    );
    expect(stats.searches.completed).toBe(1);
    expect(stats.matches).toBe(1);
  });
});
