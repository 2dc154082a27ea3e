import { readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJobWorkers } from '../../src/job-handlers.js';
import { bearer, type LoggedInUser } from '../support/client.js';
import { signUp } from '../support/factories.js';
import { testDialects } from '../support/databases.js';
import { ffmpeg, scratchDir, testPattern } from '../support/media-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  partialUploads,
  scratchFiles,
  storedVideoFiles,
  videoForm,
} from '../support/video-uploads.js';

interface VideoBody {
  id: string;
  kind: string;
  status: string;
  title: string;
  description: string | null;
  durationMs: number;
  fps: number;
  width: number;
  height: number;
  codec: string;
  sizeBytes: number;
  checksum: string;
  sourceUrl: string | null;
  posterUrl: string;
  streamUrl: string;
  playback: { status: string; progress: number | null };
}

const scratch = scratchDir('mpf-videos-test-');
const file = scratch.file;

beforeAll(async () => {
  await testPattern(file('clip.mp4'), { seconds: 2, size: '320x240' });
  await testPattern(file('other.mp4'), { seconds: 1, size: '160x120', audio: false });
  // MPEG-4 Part 2 in AVI, as old CCTV recorders export it: browsers cannot play it.
  await ffmpeg([
    ...['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25:duration=2'],
    ...['-c:v', 'mpeg4', '-q:v', '5', file('camera.avi')],
  ]);
  await ffmpeg([
    ...['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=3'],
    ...['-c:v', 'mpeg4', '-q:v', '5', file('camera-2.avi')],
  ]);
  await ffmpeg(['-f', 'lavfi', '-i', 'sine=duration=1', '-c:a', 'aac', file('voice.m4a')]);
  // Looks like an MP4 by name and first bytes, but the rest is noise.
  const mp4 = readFileSync(file('clip.mp4'));
  const corrupt = Buffer.concat([mp4.subarray(0, 32), Buffer.alloc(50_000, 0x5a)]);
  writeFileSync(file('corrupt.mp4'), corrupt);
  writeFileSync(file('empty.mp4'), Buffer.alloc(0));
});
afterAll(() => scratch.remove());

describe.each(testDialects)('videos on $name', (dialect) => {
  let t: TestApp;
  let alice: LoggedInUser;
  let bob: LoggedInUser;

  beforeAll(async () => {
    t = await startTestApp(dialect, { AUTH_RATE_LIMIT_PER_MINUTE: '1000', FACE_WORKERS: '1' });
    // The embedded workers, which make renditions in the background as `npm start` does.
    await startJobWorkers(t.deps);
    alice = await signUp(t.baseUrl);
    bob = await signUp(t.baseUrl);
  });
  afterAll(() => t.close());

  const api = (user: LoggedInUser | null, method: string, p: string, body?: unknown) =>
    fetch(`${t.baseUrl}/api/videos${p}`, {
      method,
      headers: {
        ...(user ? bearer(user.token) : {}),
        ...(body === undefined || body instanceof FormData
          ? {}
          : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
    });

  const upload = (user: LoggedInUser, body: FormData) => api(user, 'POST', '', body);

  async function videoCount(user: LoggedInUser): Promise<number> {
    const list = (await (await api(user, 'GET', '')).json()) as { total: number };
    return list.total;
  }

  let clip: VideoBody;

  it('uploads an MP4: metadata from ffprobe, a poster, no rendition needed', async () => {
    const response = await upload(
      alice,
      videoForm({ title: 'Platform 3', description: 'Evening' }, file('clip.mp4')),
    );
    expect(response.status).toBe(201);
    clip = (await response.json()) as VideoBody;
    expect(clip).toMatchObject({
      kind: 'upload',
      status: 'ready',
      title: 'Platform 3',
      description: 'Evening',
      width: 320,
      height: 240,
      codec: 'h264',
      fps: 25,
      sizeBytes: readFileSync(file('clip.mp4')).length,
      sourceUrl: null,
      posterUrl: `/api/videos/${clip.id}/poster`,
      streamUrl: `/api/videos/${clip.id}/stream`,
      playback: { status: 'none', progress: null },
    });
    expect(clip.durationMs).toBeGreaterThan(1900);
    expect(clip.durationMs).toBeLessThan(2200);

    const poster = await api(alice, 'GET', `/${clip.id}/poster`);
    expect(poster.status).toBe(200);
    expect(poster.headers.get('content-type')).toBe('image/jpeg');
    const jpeg = Buffer.from(await poster.arrayBuffer());
    expect(jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });

  it('streams with HTTP Range so players can seek', async () => {
    const original = readFileSync(file('clip.mp4'));
    const ranged = await fetch(`${t.baseUrl}/api/videos/${clip.id}/stream`, {
      headers: { ...bearer(alice.token), range: 'bytes=0-99' },
    });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 0-99/${original.length}`);
    expect(ranged.headers.get('accept-ranges')).toBe('bytes');
    expect(ranged.headers.get('content-type')).toBe('video/mp4');
    const bytes = Buffer.from(await ranged.arrayBuffer());
    expect(bytes.length).toBe(100);
    expect(bytes).toEqual(original.subarray(0, 100));

    const tail = await fetch(`${t.baseUrl}/api/videos/${clip.id}/stream`, {
      headers: { ...bearer(alice.token), range: 'bytes=-10' },
    });
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(original.subarray(-10));

    const whole = await api(alice, 'GET', `/${clip.id}/stream`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(original);

    const beyond = await fetch(`${t.baseUrl}/api/videos/${clip.id}/stream`, {
      headers: { ...bearer(alice.token), range: `bytes=${original.length}-` },
    });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${original.length}`);
    expect(await beyond.json()).toMatchObject({ error: { code: 'RANGE_NOT_SATISFIABLE' } });
  });

  it('recognises the same file uploaded again and stores nothing new', async () => {
    const filesBefore = storedVideoFiles(t, alice.user.id);
    const response = await upload(alice, videoForm({ title: 'Same again' }, file('clip.mp4')));
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({
      error: { code: 'DUPLICATE_VIDEO', details: { videoId: clip.id } },
    });
    expect(storedVideoFiles(t, alice.user.id)).toEqual(filesBefore);
    // Another user uploading the same file is not a duplicate of anything they own.
    const bobs = await upload(bob, videoForm({ title: 'Mine' }, file('clip.mp4')));
    expect(bobs.status).toBe(201);
  });

  it('keeps one video when the same file is uploaded twice at the same moment', async () => {
    const both = await Promise.all([
      upload(bob, videoForm({ title: 'First' }, file('other.mp4'))),
      upload(bob, videoForm({ title: 'Second' }, file('other.mp4'))),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    const kept = (await both.find((r) => r.status === 201)!.json()) as VideoBody;
    const refused = (await both.find((r) => r.status === 409)!.json()) as {
      error: { code: string; details: { videoId: string } };
    };
    expect(refused.error).toMatchObject({ code: 'DUPLICATE_VIDEO', details: { videoId: kept.id } });
    const listed = (await (await api(bob, 'GET', '')).json()) as { items: VideoBody[] };
    expect(listed.items.filter((v) => v.title === 'First' || v.title === 'Second')).toHaveLength(1);
    // The refused upload's files are gone: every stored file belongs to a listed video.
    const ids = listed.items.map((v) => v.id);
    for (const stored of storedVideoFiles(t, bob.user.id)) {
      expect(
        ids.some((id) => stored.includes(id)),
        stored,
      ).toBe(true);
    }
  });

  it('accepts the title after the file part', async () => {
    const response = await upload(
      alice,
      videoForm({ title: 'Late title' }, file('other.mp4'), { fileFirst: true }),
    );
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ title: 'Late title', width: 160 });
  });

  it('refuses corrupt, empty and audio-only uploads with a clear code, storing nothing', async () => {
    const before = await videoCount(alice);
    const filesBefore = storedVideoFiles(t, alice.user.id);
    for (const [name, status, code] of [
      ['corrupt.mp4', 415, 'UNSUPPORTED_VIDEO'],
      ['empty.mp4', 400, 'EMPTY_FILE'],
      ['voice.m4a', 415, 'NO_VIDEO_STREAM'],
    ] as const) {
      const response = await upload(alice, videoForm({ title: name }, file(name)));
      expect(response.status, name).toBe(status);
      const body = await response.text();
      expect(JSON.parse(body)).toMatchObject({ error: { code } });
      expect(body, 'the answer names no server path').not.toContain(t.config.DATA_DIR);
    }
    expect(await videoCount(alice)).toBe(before);
    expect(storedVideoFiles(t, alice.user.id)).toEqual(filesBefore);
    expect(partialUploads(t)).toEqual([]);
  });

  it('refuses an upload without a title or without a file', async () => {
    const noTitle = await upload(alice, videoForm({}, file('other.mp4')));
    expect(noTitle.status).toBe(400);
    expect(await noTitle.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    const noFile = await upload(alice, videoForm({ title: 'Nothing' }));
    expect(noFile.status).toBe(400);
  });

  it('makes a browser rendition of an AVI in the background and streams it once ready', async () => {
    const response = await upload(alice, videoForm({ title: 'Old recorder' }, file('camera.avi')));
    expect(response.status).toBe(201);
    const avi = (await response.json()) as VideoBody;
    expect(avi).toMatchObject({ codec: 'mpeg4', status: 'ready' });
    expect(['pending', 'processing', 'ready']).toContain(avi.playback.status);

    let video = avi;
    for (let i = 0; i < 300 && video.playback.status !== 'ready'; i += 1) {
      expect(video.playback.status).not.toBe('failed');
      await sleep(200);
      video = (await (await api(alice, 'GET', `/${avi.id}`)).json()) as VideoBody;
    }
    expect(video.playback).toEqual({ status: 'ready', progress: 1 });

    const stream = await fetch(`${t.baseUrl}/api/videos/${avi.id}/stream`, {
      headers: { ...bearer(alice.token), range: 'bytes=0-63' },
    });
    expect(stream.status).toBe(206);
    expect(stream.headers.get('content-type')).toBe('video/mp4');
    const head = Buffer.from(await stream.arrayBuffer());
    expect(head.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(
      storedVideoFiles(t, alice.user.id).some((f) => f.endsWith(`${avi.id}/playback.mp4`)),
    ).toBe(true);
  });

  it('leaves no rendition behind when the video is deleted while it is being made', async () => {
    const response = await upload(
      alice,
      videoForm({ title: 'Deleted soon' }, file('camera-2.avi')),
    );
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as VideoBody;
    expect((await api(alice, 'DELETE', `/${id}`)).status).toBe(204);

    const job = () =>
      t.deps.db
        .selectFrom('jobs')
        .select('status')
        .where('dedupe_key', '=', `video-rendition:${id}`)
        .executeTakeFirstOrThrow();
    // A cancelled job is marked at once; its handler stops ffmpeg and cleans up right after.
    const settled = async () =>
      !['queued', 'running'].includes((await job()).status) &&
      scratchFiles(t).length === 0 &&
      !storedVideoFiles(t, alice.user.id).some((f) => f.includes(id));
    for (let i = 0; i < 300 && !(await settled()); i += 1) await sleep(100);
    expect(['completed', 'cancelled']).toContain((await job()).status);
    expect(storedVideoFiles(t, alice.user.id).some((f) => f.includes(id))).toBe(false);
    expect(scratchFiles(t)).toEqual([]);
  });

  it('registers live feeds with a supported scheme and masks the password', async () => {
    const created = await api(alice, 'POST', '/live', {
      title: 'Gate camera',
      url: 'rtsp://admin:s3cret@10.0.0.7:554/stream1',
    });
    expect(created.status).toBe(201);
    const live = (await created.json()) as VideoBody;
    expect(live).toMatchObject({ kind: 'live', title: 'Gate camera', streamUrl: null });
    expect(live.sourceUrl).toBe('rtsp://admin:***@10.0.0.7:554/stream1');
    expect(JSON.stringify(await (await api(alice, 'GET', `/${live.id}`)).json())).not.toContain(
      's3cret',
    );

    const hls = await api(alice, 'POST', '/live', {
      title: 'Lobby',
      url: 'https://cams.example.org/lobby/index.m3u8',
    });
    expect(hls.status).toBe(201);

    for (const url of ['ftp://cams.example.org/x', 'file:///etc/passwd', 'not a url']) {
      const refused = await api(alice, 'POST', '/live', { title: 'Bad', url });
      expect(refused.status, url).toBe(400);
      expect(await refused.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }

    const lives = (await (await api(alice, 'GET', '?kind=live')).json()) as {
      items: VideoBody[];
    };
    expect(lives.items.map((v) => v.title)).toEqual(['Lobby', 'Gate camera']);
  });

  it('lists by title search and status, and updates title and description', async () => {
    const found = (await (await api(alice, 'GET', '?q=PLATFORM&kind=upload')).json()) as {
      items: VideoBody[];
    };
    expect(found.items.map((v) => v.id)).toEqual([clip.id]);

    const put = await api(alice, 'PUT', `/${clip.id}`, { title: 'Platform 3, north' });
    expect(await put.json()).toMatchObject({ title: 'Platform 3, north', description: null });
    const patch = await api(alice, 'PATCH', `/${clip.id}`, { description: 'Re-checked' });
    expect(await patch.json()).toMatchObject({
      title: 'Platform 3, north',
      description: 'Re-checked',
    });
  });

  it("answers 404 to every read and write of another user's video", async () => {
    for (const [method, suffix, body] of [
      ['GET', '', undefined],
      ['GET', '/stream', undefined],
      ['GET', '/poster', undefined],
      ['PUT', '', { title: 'Stolen' }],
      ['PATCH', '', { title: 'Stolen' }],
      ['DELETE', '', undefined],
    ] as const) {
      const response = await api(bob, method, `/${clip.id}${suffix}`, body);
      expect(response.status, `${method} ${suffix}`).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
    const bobsList = (await (await api(bob, 'GET', '')).json()) as { items: VideoBody[] };
    expect(bobsList.items.map((v) => v.id)).not.toContain(clip.id);
    expect(await (await api(alice, 'GET', `/${clip.id}`)).json()).toMatchObject({
      title: 'Platform 3, north',
    });
  });

  it('deletes a video and its files, refusing while a search uses it', async () => {
    const now = new Date().toISOString();
    const personId = crypto.randomUUID();
    const searchId = crypto.randomUUID();
    await t.deps.db
      .insertInto('missing_persons')
      .values({
        id: personId,
        owner_id: alice.user.id,
        first_name: 'A',
        last_name: 'B',
        status: 'missing',
        created_at: now,
        updated_at: now,
      })
      .execute();
    await t.deps.db
      .insertInto('searches')
      .values({
        id: searchId,
        owner_id: alice.user.id,
        missing_person_id: personId,
        status: 'queued',
        preset: 'fast',
        sampled_fps: 2,
        threshold: 0.6,
        priority: 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await t.deps.db
      .insertInto('search_videos')
      .values({
        id: crypto.randomUUID(),
        search_id: searchId,
        video_id: clip.id,
        status: 'queued',
        processed_ms: 0,
        frames_analysed: 0,
        created_at: now,
        updated_at: now,
      })
      .execute();

    const refused = await api(alice, 'DELETE', `/${clip.id}`);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: { code: 'IN_USE' } });

    await t.deps.db
      .updateTable('searches')
      .set({ status: 'completed' })
      .where('id', '=', searchId)
      .execute();
    const deleted = await api(alice, 'DELETE', `/${clip.id}`);
    expect(deleted.status).toBe(204);
    expect((await api(alice, 'GET', `/${clip.id}`)).status).toBe(404);
    expect((await api(alice, 'GET', `/${clip.id}/stream`)).status).toBe(404);
    expect(storedVideoFiles(t, alice.user.id).some((f) => f.includes(clip.id))).toBe(false);
    const leftover = await t.deps.db
      .selectFrom('searches')
      .select('id')
      .where('id', '=', searchId)
      .execute();
    expect(leftover).toEqual([]);
    const actions = await t.deps.db
      .selectFrom('audit_logs')
      .select('action')
      .where('target_id', '=', clip.id)
      .orderBy('created_at')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'video.upload',
      'video.update',
      'video.update',
      'video.delete',
    ]);
  });

  it('answers 401 without credentials, before reading any upload', async () => {
    expect((await api(null, 'GET', '')).status).toBe(401);
    const anonymous = await fetch(`${t.baseUrl}/api/videos`, {
      method: 'POST',
      body: videoForm({ title: 'Anon' }, file('other.mp4')),
    });
    expect(anonymous.status).toBe(401);
  });

  it('documents every video route in the OpenAPI document', async () => {
    const raw = await fetch(`${t.baseUrl}/api/openapi.json`);
    expect(raw.status).toBe(200);
    const doc = (await raw.json()) as {
      paths: Record<string, Record<string, { tags?: string[] }>>;
    };
    for (const p of [
      '/api/videos',
      '/api/videos/live',
      '/api/videos/{id}',
      '/api/videos/{id}/stream',
      '/api/videos/{id}/poster',
    ]) {
      expect(Object.keys(doc.paths), p).toContain(p);
    }
    expect(doc.paths['/api/videos']?.post?.tags).toEqual(['videos']);
  });
});
