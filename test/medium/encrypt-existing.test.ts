import { execFile } from 'node:child_process';
import { buffer } from 'node:stream/consumers';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptExisting, SEALED_COLUMNS } from '../../scripts/lib/encrypt-existing.js';
import { isSealedBytes, isSealedText } from '../../src/crypto/field-cipher.js';
import { createStorage } from '../../src/storage/storage.factory.js';
import { client, get, type LoggedInUser } from '../support/client.js';
import * as factory from '../support/factories.js';
import { testDialects } from '../support/databases.js';
import { ffmpeg, FAST_H264, scratchDir } from '../support/media-fixtures.js';
import { referencePhoto } from '../support/search-fixtures.js';
import { useTestApp } from '../support/test-app.js';

const run = promisify(execFile);
const scratch = scratchDir('mpf-encrypt-existing-');
afterAll(() => scratch.remove());

beforeAll(async () => {
  await referencePhoto(scratch.file('portrait.jpg'));
  await ffmpeg([
    ...['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=10:duration=1'],
    ...FAST_H264,
    scratch.file('clip.mp4'),
  ]);
});

describe.each(testDialects)('npm run encrypt:existing on $name', (dialect) => {
  const t = useTestApp(dialect, {
    LIVE_FEED_ALLOWED_NETWORKS: '127.0.0.0/8',
    WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8',
    FACE_WORKERS: '1',
  });
  let user: LoggedInUser;
  let caseId: string;
  let searchId: string;
  const plain = () => createStorage(t.config);

  /** Rewrites what the app sealed as a version without encryption would have stored it. */
  async function storeAsBeforeEncryption(): Promise<Map<string, Buffer>> {
    const db = t.deps.db;
    await db
      .updateTable('missing_persons')
      .set({
        first_name: 'Old',
        last_name: 'Record',
        notes: 'Old notes',
        last_seen_location: 'Pier',
      })
      .execute();
    await db.updateTable('person_photos').set({ original_name: 'old-record.jpg' }).execute();
    const [embedding] = await db.selectFrom('facial_embeddings').selectAll().execute();
    const vector = await t.deps.fields.openBytes(`case:${caseId}`, embedding!.vector);
    await db.updateTable('facial_embeddings').set({ vector }).execute();
    await db
      .updateTable('videos')
      .set({ source_url: 'rtsp://cam:OldPass@127.0.0.1:8554/a' })
      .where('kind', '=', 'live')
      .execute();
    await db
      .updateTable('videos')
      .set({ original_name: 'old-record.mp4' })
      .where('kind', '=', 'upload')
      .execute();
    await sql`update searches set alert_webhook_url = 'http://127.0.0.1:9/old',
      alert_webhook_secret = 'old-secret-0123456789'`.execute(db);
    const files = new Map<string, Buffer>();
    const photos = await db.selectFrom('person_photos').select('storage_key').execute();
    const videos = await db.selectFrom('videos').select(['storage_key', 'poster_key']).execute();
    const keys = [
      ...photos.map((row) => row.storage_key),
      ...videos.flatMap((row) => [row.storage_key, row.poster_key]),
    ].filter((key): key is string => key !== null);
    for (const key of keys) {
      const bytes = await buffer(await t.deps.storage.get(key));
      await plain().put(key, bytes);
      files.set(key, bytes);
    }
    return files;
  }

  const storedStart = async (key: string) =>
    (await buffer(await plain().get(key, { start: 0, end: 3 }))).toString('latin1');

  it('seals every value and file stored before encryption, and then has nothing left to do', async () => {
    user = await factory.signUp(t.baseUrl);
    const api = client(t.baseUrl, user);
    caseId = (
      await api.createCase({ notes: 'n', lastSeenLocation: 'p' }, scratch.file('portrait.jpg'))
    ).id;
    const video = await api.uploadVideo(scratch.file('clip.mp4'), 'Clip');
    await api.addLiveFeed({ title: 'Cam', url: 'rtsp://cam:NewPass@127.0.0.1:8554/a' });
    searchId = (await api.startSearch({ missingPersonId: caseId, videoIds: [video.id] })).id;
    const alerts = await api.request('PUT', `/api/searches/${searchId}/alerts`, {
      webhookUrl: 'http://127.0.0.1:9/new',
    });
    expect(alerts.status).toBe(200);
    const files = await storeAsBeforeEncryption();
    expect(files.size).toBe(3);
    for (const key of files.keys()) expect(await storedStart(key)).not.toBe('MPFE');

    // Stored before encryption, still read as it was.
    const before = await api.call('GET', `/api/missing-persons/${caseId}`);
    expect(before.body).toMatchObject({ firstName: 'Old', lastName: 'Record', notes: 'Old notes' });

    const first = await encryptExisting({ ...t.deps, plainStorage: plain() });
    expect(first.files).toBe(3);
    expect(first.values).toMatchObject({
      'missing_persons.first_name': 1,
      'missing_persons.notes': 1,
      'person_photos.original_name': 1,
      'facial_embeddings.vector': 1,
      'videos.source_url': 1,
      'videos.original_name': 1,
      'searches.alert_webhook_url': 1,
      'searches.alert_webhook_secret': 1,
    });
    for (const spec of SEALED_COLUMNS) {
      const { rows } = await sql<{ value: string | Uint8Array }>`
        select ${sql.ref(spec.column)} as value from ${sql.table(spec.table)}
        where ${sql.ref(spec.column)} is not null`.execute(t.deps.db);
      expect(rows.length, `${spec.table}.${spec.column}`).toBeGreaterThan(0);
      for (const { value } of rows) {
        const sealed = spec.bytes
          ? isSealedBytes(value as Uint8Array)
          : isSealedText(value as string);
        expect(sealed, `${spec.table}.${spec.column}`).toBe(true);
      }
    }
    for (const [key, bytes] of files) {
      expect(await storedStart(key)).toBe('MPFE');
      expect((await buffer(await t.deps.storage.get(key))).equals(bytes)).toBe(true);
    }

    // The app reads the same values and files as before.
    const after = await api.call('GET', `/api/missing-persons/${caseId}`);
    expect(after.body).toMatchObject({ firstName: 'Old', lastName: 'Record', notes: 'Old notes' });
    const photos = await api.call('GET', `/api/missing-persons/${caseId}/photos`);
    expect(photos.body).toMatchObject({ items: [{ originalName: 'old-record.jpg' }] });
    const settings = await api.call('GET', `/api/searches/${searchId}/alerts`);
    expect(settings.body).toMatchObject({
      webhookUrl: 'http://127.0.0.1:9/old',
      webhookSecret: 'old-secret-0123456789',
    });
    const poster = await get(t.baseUrl, user, `/api/videos/${video.id}/poster`);
    expect(poster.status).toBe(200);

    const second = await encryptExisting({ ...t.deps, plainStorage: plain() });
    expect(second.files).toBe(0);
    expect(Object.values(second.values).every((count) => count === 0)).toBe(true);
  }, 240_000);

  it('runs as npm run encrypt:existing, which finds nothing left to seal', async () => {
    const env: Record<string, string | undefined> = {
      ...process.env,
      DATA_DIR: t.config.DATA_DIR,
      DATABASE_URL: t.config.DATABASE_URL,
      LOG_LEVEL: 'silent',
    };
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/encrypt-existing.ts'],
      { env },
    );
    expect(stdout).toContain('Sealed 0 stored file(s)');
    expect(stdout).toContain('Nothing was stored unencrypted.');
  }, 120_000);
});
