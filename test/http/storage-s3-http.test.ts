import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, get, json, type LoggedInUser } from '../support/client.js';
import * as factory from '../support/factories.js';
import { referencePhoto, searchFootage, startWorkers } from '../support/search-fixtures.js';
import { testDialects } from '../support/databases.js';
import { scratchDir } from '../support/media-fixtures.js';
import { startS3Server, type TestS3Server } from '../support/s3-server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const scratch = scratchDir('mpf-s3-http-');
let s3: TestS3Server;

beforeAll(async () => {
  s3 = await startS3Server();
  await referencePhoto(scratch.file('ada.jpg'));
  await searchFootage(scratch.file('platform.mp4'));
});
afterAll(async () => {
  await s3?.close();
  scratch.remove();
});

describe.each(testDialects)('footage in an S3 bucket on $name', (dialect) => {
  let t: TestApp;
  let storageUrl: string;
  let owner: LoggedInUser;
  let videoId: string;
  const original = () => readFileSync(scratch.file('platform.mp4'));
  const nothingOnLocalDisk = () => {
    expect(existsSync(path.join(t.config.DATA_DIR, 'files'))).toBe(false);
    expect(readdirSync(path.join(t.config.DATA_DIR, 'tmp'))).toEqual([]);
  };

  beforeAll(async () => {
    storageUrl = await s3.createBucket();
    t = await startTestApp(dialect, s3.env(storageUrl));
    await startWorkers(t);
    owner = await factory.signUp(t.baseUrl);
    videoId = await factory.uploadVideo(
      t.baseUrl,
      owner,
      scratch.file('platform.mp4'),
      'Platform 3',
    );
  });
  afterAll(async () => t?.close());

  it('stores an upload and its poster in the bucket, none of it on local disk', async () => {
    const folder = `users/${owner.user.id}/videos/${videoId}/`;
    expect(await s3.keys(storageUrl)).toEqual([`${folder}original`, `${folder}poster.jpg`]);
    nothingOnLocalDisk();
    const poster = await get(t.baseUrl, owner, `/api/videos/${videoId}/poster`);
    expect(poster.status).toBe(200);
    expect(poster.headers.get('content-type')).toBe('image/jpeg');
  });

  it('plays the video back from the bucket with HTTP Range', async () => {
    const bytes = original();
    const ranged = await fetch(`${t.baseUrl}/api/v1/videos/${videoId}/stream`, {
      headers: { ...bearer(owner.token), range: 'bytes=1000-1999' },
    });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 1000-1999/${bytes.length}`);
    expect(Buffer.from(await ranged.arrayBuffer())).toEqual(bytes.subarray(1000, 2000));
    const whole = await get(t.baseUrl, owner, `/api/videos/${videoId}/stream`);
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(bytes);
  });

  it('searches the footage (ffmpeg reads it decrypted through a loopback stream, no copy on disk) and keeps results in the bucket', async () => {
    const caseId = await factory.createCase(t.baseUrl, owner, scratch.file('ada.jpg'));
    const search = await factory.startSearch(t.baseUrl, owner, {
      missingPersonId: caseId,
      videoIds: [videoId],
    });
    await factory.waitForSearch(t.baseUrl, owner, search.id, ['completed']);
    const { items } = await json<{ items: { faceUrl: string; clipUrl: string | null }[] }>(
      await get(t.baseUrl, owner, `/api/searches/${search.id}/appearances`),
      200,
    );
    expect(items).toHaveLength(1);
    const face = await get(t.baseUrl, owner, items[0]?.faceUrl ?? '');
    expect(face.status).toBe(200);
    expect(face.headers.get('content-type')).toBe('image/jpeg');
    const keys = await s3.keys(storageUrl);
    expect(
      keys.some((key) => key.startsWith(`users/${owner.user.id}/searches/${search.id}/`)),
    ).toBe(true);
    nothingOnLocalDisk();
  });

  it('deletes a video and its files from the bucket', async () => {
    const deleted = await fetch(`${t.baseUrl}/api/videos/${videoId}`, {
      method: 'DELETE',
      headers: bearer(owner.token),
    });
    expect(deleted.status).toBe(204);
    const keys = await s3.keys(storageUrl);
    expect(keys.filter((key) => key.includes(`/videos/${videoId}/`))).toEqual([]);
  });
});
