import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type LoggedInUser } from '../support/client.js';
import { signUp } from '../support/factories.js';
import { testDialects } from '../support/databases.js';
import { scratchDir, testPattern } from '../support/media-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { partialUploads, storedVideoFiles, videoForm } from '../support/video-uploads.js';

const scratch = scratchDir('mpf-video-limits-test-');
const file = scratch.file;

beforeAll(async () => {
  await testPattern(file('clip.mp4'), { seconds: 2, size: '320x240' });
  await testPattern(file('tiny.mp4'), { seconds: 1, fps: 5, size: '64x48', audio: false });
});
afterAll(() => scratch.remove());

describe.each(testDialects)('video upload limits on $name', (dialect) => {
  let t: TestApp;
  let user: LoggedInUser;
  beforeAll(async () => {
    t = await startTestApp(dialect, {
      MAX_VIDEO_BYTES: '20000',
      UPLOAD_RATE_LIMIT_PER_MINUTE: '3',
      FACE_WORKERS: '1',
    });
    user = await signUp(t.baseUrl);
  });
  afterAll(() => t.close());

  it('answers 413 above MAX_VIDEO_BYTES and keeps nothing, not even a partial file', async () => {
    expect(readFileSync(file('clip.mp4')).length).toBeGreaterThan(20000);
    const response = await fetch(`${t.baseUrl}/api/videos`, {
      method: 'POST',
      headers: bearer(user.token),
      body: videoForm({ title: 'Too big' }, file('clip.mp4')),
    });
    expect(response.status).toBe(413);
    // The rest of the upload is not read: the connection ends with the answer.
    expect(response.headers.get('connection')).toBe('close');
    expect(await response.json()).toMatchObject({
      error: { code: 'PAYLOAD_TOO_LARGE', details: { maxBytes: 20000 } },
    });
    expect(storedVideoFiles(t, user.user.id)).toEqual([]);
    expect(partialUploads(t)).toEqual([]);
    const list = (await (
      await fetch(`${t.baseUrl}/api/videos`, { headers: bearer(user.token) })
    ).json()) as { total: number };
    expect(list.total).toBe(0);
  });

  it('limits uploads per user per minute, without reading the refused ones', async () => {
    const other = await signUp(t.baseUrl);
    const send = (who: LoggedInUser) =>
      fetch(`${t.baseUrl}/api/videos`, {
        method: 'POST',
        headers: bearer(who.token),
        body: videoForm({ title: 'Small' }, file('tiny.mp4')),
      });
    expect(readFileSync(file('tiny.mp4')).length).toBeLessThan(20000);
    // The 413 above was the first of three; these are the second and third.
    expect((await send(user)).status).toBe(201);
    expect((await send(user)).status).toBe(409);
    const limited = await send(user);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect((await send(other)).status).toBe(201);
  });
});
