import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type LoggedInUser } from '../support/client.js';
import { signUp } from '../support/factories.js';
import { testDialects } from '../support/databases.js';
import { demoFace, ffmpeg, scratchDir, testPattern } from '../support/media-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { partialUploads, storedVideoFiles, videoForm } from '../support/video-uploads.js';

/**
 * The adversarial run a new user could make: hostile files and malformed requests get a 4xx with
 * a code, never a 5xx or a hang, nothing of them is kept, and the server stays healthy.
 */
const scratch = scratchDir('mpf-hostile-test-');
const file = scratch.file;
/** Every request is bounded: a hang fails the test instead of stalling the suite. */
const REQUEST_TIMEOUT_MS = 60_000;

/** An HLS playlist whose one segment is a file elsewhere on the server's disk. */
const playlist = (target: string) =>
  `#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:2,\n${target}\n#EXT-X-ENDLIST\n`;

/** A PNG of `side`×`side` one-bit pixels, all black: a few KB declaring `side²` pixels. */
function pngBomb(side: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = (crcTable[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // greyscale
  const rows = Buffer.alloc((Math.ceil(side / 8) + 1) * side);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

beforeAll(async () => {
  // Someone else's footage on the server's disk: a playlist must not make the server read it.
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=160x120:rate=10:duration=2',
    '-c:v',
    'libx264',
    '-f',
    'mpegts',
    file('secret.ts'),
  ]);
  writeFileSync(file('playlist.m3u8'), playlist(file('secret.ts')));
  copyFileSync(file('playlist.m3u8'), file('playlist.mp4'));
  copyFileSync(file('playlist.m3u8'), file('playlist.txt'));
  writeFileSync(file('list.ffconcat'), `ffconcat version 1.0\nfile '${file('secret.ts')}'\n`);
  writeFileSync(file('list.mp4'), `ffconcat version 1.0\nfile secret.ts\n`);

  await testPattern(file('clip.mp4'), { seconds: 2, size: '320x240', faststart: false });
  await testPattern(file('long.mp4'), { seconds: 5, fps: 5, size: '64x48', audio: false });
  const clip = readFileSync(file('clip.mp4'));
  writeFileSync(file('truncated.mp4'), clip.subarray(0, Math.floor(clip.length / 2)));
  writeFileSync(file('corrupt.mp4'), Buffer.from(Array.from({ length: 40_000 }, (_, i) => i * 7)));
  writeFileSync(file('empty.mp4'), Buffer.alloc(0));
  writeFileSync(file('oversized.mp4'), Buffer.alloc(3_500_000, 1));
  writeFileSync(file('text.mp4'), 'Just some words, not a video.\n'.repeat(100));
  // A video's first box followed by a web page.
  writeFileSync(
    file('polyglot.mp4'),
    Buffer.concat([clip.subarray(0, 32), Buffer.from('<html><script>alert(1)</script></html>')]),
  );
  // A JPEG with a ZIP archive after it (an empty archive's end record).
  writeFileSync(
    file('jpeg-zip.mp4'),
    Buffer.concat([readFileSync(demoFace(1)), Buffer.from('PK\x05\x06'), Buffer.alloc(18)]),
  );
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:duration=2',
    '-c:a',
    'aac',
    file('audio.m4a'),
  ]);
  // 12000×12000 of one colour: a small file declaring 412 MiB per decoded frame.
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'color=c=gray:size=12000x12000:rate=1:duration=1',
    '-frames:v',
    '1',
    '-c:v',
    'mjpeg',
    '-q:v',
    '31',
    '-f',
    'avi',
    file('huge.avi'),
  ]);
  // 17000×16: few pixels, but wider than any decoder should be asked to handle.
  await ffmpeg([
    ...['-f', 'lavfi', '-i', 'color=c=gray:size=17000x16:rate=1:duration=1'],
    ...['-frames:v', '1', '-c:v', 'mjpeg', '-f', 'avi', file('wide.avi')],
  ]);
  writeFileSync(file('bomb.png'), pngBomb(10_000));
}, 120_000);
afterAll(() => scratch.remove());

describe.each(testDialects)('hostile media on $name', (dialect) => {
  let t: TestApp;
  let user: LoggedInUser;
  let caseId: string;

  beforeAll(async () => {
    t = await startTestApp(dialect, {
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
      UPLOAD_RATE_LIMIT_PER_MINUTE: '1000',
      MAX_VIDEO_SECONDS: '4',
      MAX_VIDEO_BYTES: '3000000',
      FACE_WORKERS: '1',
    });
    user = await signUp(t.baseUrl);
    const created = await fetch(`${t.baseUrl}/api/missing-persons`, {
      method: 'POST',
      headers: { ...bearer(user.token), 'content-type': 'application/json' },
      body: JSON.stringify({ firstName: 'Ida', lastName: 'Sand' }),
    });
    caseId = ((await created.json()) as { id: string }).id;
  });
  afterAll(() => t.close());

  const post = (
    url: string,
    init: { body?: RequestInit['body']; headers?: Record<string, string> },
  ) =>
    fetch(`${t.baseUrl}${url}`, {
      method: 'POST',
      body: init.body,
      headers: { ...bearer(user.token), ...init.headers },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  const uploadVideo = (name: string) =>
    post('/api/videos', { body: videoForm({ title: name }, file(name)) });
  const videoCount = async () =>
    (
      (await (await fetch(`${t.baseUrl}/api/videos`, { headers: bearer(user.token) })).json()) as {
        total: number;
      }
    ).total;

  async function expectRefused(response: Response, status: number, code: string) {
    const body = (await response.json()) as { error: { code: string; details?: unknown } };
    expect({ status: response.status, code: body.error.code }).toEqual({ status, code });
    return body.error;
  }

  it.each([
    ['playlist.m3u8', 'hls'],
    ['playlist.mp4', 'hls'],
    ['playlist.txt', 'hls'],
    ['list.ffconcat', 'concat'],
    ['list.mp4', 'concat'],
  ])(
    'refuses %s, a list naming a file on the server, without reading that file',
    async (name, format) => {
      const error = await expectRefused(await uploadVideo(name), 415, 'UNSUPPORTED_VIDEO');
      // Refused when ffprobe picked the demuxer, before the list's entries were opened.
      expect(error.details).toMatchObject({ format });
      expect(JSON.stringify(error)).not.toContain(scratch.dir);
      expect(storedVideoFiles(t, user.user.id)).toEqual([]);
      expect(await videoCount()).toBe(0);
    },
  );

  it.each([
    ['corrupt.mp4', 415, 'UNSUPPORTED_VIDEO'],
    ['truncated.mp4', 415, 'UNSUPPORTED_VIDEO'],
    ['empty.mp4', 400, 'EMPTY_FILE'],
    ['oversized.mp4', 413, 'PAYLOAD_TOO_LARGE'],
    ['audio.m4a', 415, 'NO_VIDEO_STREAM'],
    ['text.mp4', 415, 'UNSUPPORTED_VIDEO'],
    ['polyglot.mp4', 415, 'UNSUPPORTED_VIDEO'],
    ['jpeg-zip.mp4', 415, 'UNSUPPORTED_VIDEO'],
  ])('refuses %s with %i %s and keeps nothing', async (name, status, code) => {
    await expectRefused(await uploadVideo(name), status, code);
    expect(storedVideoFiles(t, user.user.id)).toEqual([]);
    expect(partialUploads(t)).toEqual([]);
  });

  it('refuses footage larger than MAX_VIDEO_PIXELS before decoding a frame of it', async () => {
    expect(readFileSync(file('huge.avi')).length).toBeLessThan(2_000_000);
    const error = await expectRefused(await uploadVideo('huge.avi'), 422, 'MEDIA_LIMIT_EXCEEDED');
    expect(error.details).toEqual({
      limit: 'MAX_VIDEO_PIXELS',
      max: 8192 * 4320,
      actual: 12000 * 12000,
    });
    expect(storedVideoFiles(t, user.user.id)).toEqual([]);
  });

  it('refuses footage wider than MAX_VIDEO_SIDE', async () => {
    const error = await expectRefused(await uploadVideo('wide.avi'), 422, 'MEDIA_LIMIT_EXCEEDED');
    expect(error.details).toEqual({ limit: 'MAX_VIDEO_SIDE', max: 16384, actual: 17000 });
    expect(storedVideoFiles(t, user.user.id)).toEqual([]);
  });

  it('refuses footage longer than MAX_VIDEO_SECONDS', async () => {
    const error = await expectRefused(await uploadVideo('long.mp4'), 422, 'MEDIA_LIMIT_EXCEEDED');
    expect(error.details).toMatchObject({ limit: 'MAX_VIDEO_SECONDS', max: 4 });
    expect(storedVideoFiles(t, user.user.id)).toEqual([]);
  });

  it('refuses a photo declaring more than MAX_PHOTO_PIXELS without decoding it', async () => {
    const bomb = readFileSync(file('bomb.png'));
    expect(bomb.length).toBeLessThan(100_000);
    const form = new FormData();
    form.append('photos', new Blob([bomb]), 'bomb.png');
    const response = await post(`/api/missing-persons/${caseId}/photos`, { body: form });
    expect(response.status).toBe(200);
    const { photos } = (await response.json()) as {
      photos: { enrolled: boolean; error?: { code: string; message: string } }[];
    };
    expect(photos).toMatchObject([{ enrolled: false, error: { code: 'MEDIA_LIMIT_EXCEEDED' } }]);
    expect(photos[0]?.error?.message).toContain('MAX_PHOTO_PIXELS');
  });

  const multipartEndpoints = [
    ['POST /api/videos', () => '/api/videos', 'file'],
    [
      'POST /api/missing-persons/:id/photos',
      () => `/api/missing-persons/${caseId}/photos`,
      'photos',
    ],
  ] as const;

  describe.each(multipartEndpoints)('%s with a malformed body', (_name, url, fileField) => {
    const boundary = '----mpf-hostile-boundary';
    const multipartType = { 'content-type': `multipart/form-data; boundary=${boundary}` };
    const part = (name: string, content: string, filename?: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"` +
      `${filename ? `; filename="${filename}"` : ''}\r\n\r\n${content}\r\n`;

    it('answers a JSON body with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      const response = await post(url(), {
        body: JSON.stringify({ title: 'JSON', file: 'AAAA' }),
        headers: { 'content-type': 'application/json' },
      });
      await expectRefused(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('answers a body without a content type with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      await expectRefused(await post(url(), {}), 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('answers multipart without a boundary with 400 MALFORMED_REQUEST', async () => {
      const response = await post(url(), {
        body: part('title', 'x'),
        headers: { 'content-type': 'multipart/form-data' },
      });
      await expectRefused(response, 400, 'MALFORMED_REQUEST');
    });

    it('answers an empty multipart body with 400', async () => {
      const response = await post(url(), { body: '', headers: multipartType });
      expect(response.status).toBe(400);
      expect(['MALFORMED_REQUEST', 'VALIDATION_FAILED']).toContain(
        ((await response.json()) as { error: { code: string } }).error.code,
      );
    });

    it('answers a form without a file with 400 VALIDATION_FAILED', async () => {
      const response = await post(url(), {
        body: `${part('title', 'No file')}--${boundary}--\r\n`,
        headers: multipartType,
      });
      await expectRefused(response, 400, 'VALIDATION_FAILED');
    });

    it('answers a file under the wrong field name with 400 VALIDATION_FAILED', async () => {
      const response = await post(url(), {
        body: `${part('title', 'Wrong name')}${part('video', 'abc', 'a.mp4')}--${boundary}--\r\n`,
        headers: multipartType,
      });
      await expectRefused(response, 400, 'VALIDATION_FAILED');
    });

    it('answers a body cut off inside the file with 400 MALFORMED_REQUEST', async () => {
      const body =
        `${part('title', 'Cut off')}--${boundary}\r\nContent-Disposition: form-data; ` +
        `name="${fileField}"; filename="a.mp4"\r\n\r\n${'x'.repeat(5000)}`;
      await expectRefused(
        await post(url(), { body, headers: multipartType }),
        400,
        'MALFORMED_REQUEST',
      );
      expect(partialUploads(t)).toEqual([]);
    });
  });

  it('refuses two files in one video upload with 400 VALIDATION_FAILED', async () => {
    const form = videoForm({ title: 'Two' }, file('clip.mp4'));
    form.append('file', new Blob([readFileSync(file('long.mp4'))]), 'long.mp4');
    await expectRefused(await post('/api/videos', { body: form }), 400, 'VALIDATION_FAILED');
    expect(storedVideoFiles(t, user.user.id)).toEqual([]);
  });

  it('still accepts real footage, and is healthy after all of the above', async () => {
    expect((await uploadVideo('clip.mp4')).status).toBe(201);
    const health = await fetch(`${t.baseUrl}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
  });
});

describe.each(testDialects)('storage quota on $name', (dialect) => {
  let t: TestApp;
  let user: LoggedInUser;
  let quota: number;

  beforeAll(async () => {
    quota = readFileSync(file('long.mp4')).length + 1000;
    t = await startTestApp(dialect, {
      USER_STORAGE_QUOTA_BYTES: String(quota),
      UPLOAD_RATE_LIMIT_PER_MINUTE: '1000',
    });
    user = await signUp(t.baseUrl);
  });
  afterAll(() => t.close());

  const upload = (who: LoggedInUser, name: string) =>
    fetch(`${t.baseUrl}/api/videos`, {
      method: 'POST',
      headers: bearer(who.token),
      body: videoForm({ title: name }, file(name)),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });

  it('answers 413 QUOTA_EXCEEDED once the user stores USER_STORAGE_QUOTA_BYTES, keeping nothing of the refused upload', async () => {
    expect((await upload(user, 'long.mp4')).status).toBe(201);
    const before = storedVideoFiles(t, user.user.id);
    const refused = await upload(user, 'clip.mp4');
    expect(refused.status).toBe(413);
    expect(await refused.json()).toMatchObject({
      error: {
        code: 'QUOTA_EXCEEDED',
        details: { quotaBytes: quota, usedBytes: readFileSync(file('long.mp4')).length },
      },
    });
    expect(storedVideoFiles(t, user.user.id)).toEqual(before);
    expect(partialUploads(t)).toEqual([]);
  });

  it('refuses a reference photo past the quota with QUOTA_EXCEEDED, keeping nothing', async () => {
    const created = await fetch(`${t.baseUrl}/api/missing-persons`, {
      method: 'POST',
      headers: { ...bearer(user.token), 'content-type': 'application/json' },
      body: JSON.stringify({ firstName: 'Ida', lastName: 'Sand' }),
    });
    const caseId = ((await created.json()) as { id: string }).id;
    const form = new FormData();
    form.append('photos', new Blob([readFileSync(demoFace(1))]), 'photo.jpg');
    const response = await fetch(`${t.baseUrl}/api/missing-persons/${caseId}/photos`, {
      method: 'POST',
      headers: bearer(user.token),
      body: form,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      photos: [{ id: null, enrolled: false, error: { code: 'QUOTA_EXCEEDED' } }],
    });
  });

  it('counts each user on their own', async () => {
    const other = await signUp(t.baseUrl);
    expect((await upload(other, 'long.mp4')).status).toBe(201);
  });
});
