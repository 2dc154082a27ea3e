import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSealedBytes } from '../../src/crypto/field-cipher.js';
import { caseScope } from '../../src/crypto/keyring.js';
import { client, get, json, type LoggedInUser } from '../support/client.js';
import * as factory from '../support/factories.js';
import { testDialects } from '../support/databases.js';
import { scratchDir } from '../support/media-fixtures.js';
import { referencePhoto, searchFootage, startWorkers } from '../support/search-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const scratch = scratchDir('mpf-at-rest-');
// Distinctive words: nothing else in the data directory or the database spells them.
const FIRST = 'Zyxwvut';
const LAST = 'Qplmnbv';
const NOTES = 'Wears a Vrtkqsl scarf';
const PLACE = 'Jmbrgtz Station';
const CAMERA_PASSWORD = 'S3cretCamPass';
const HOOK_TOKEN = 'S3cretHookToken';

beforeAll(async () => {
  // File names that name the person, as a parent's upload might.
  await referencePhoto(scratch.file(`${FIRST.toLowerCase()}-${LAST.toLowerCase()}.jpg`));
  await searchFootage(scratch.file(`${LAST.toLowerCase()}-at-the-platform.mp4`));
});
afterAll(() => scratch.remove());

/** Every file under `dir`, recursively, except the master key's folder. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !path.relative(dir, file).startsWith(`keys${path.sep}`));
}

/** Every row of every table of the PostgreSQL database, as text and raw bytes. */
async function dumpTables(t: TestApp): Promise<Buffer> {
  const { rows: tables } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(t.deps.db);
  expect(tables.map((table) => table.name)).toEqual(
    expect.arrayContaining(['missing_persons', 'person_photos', 'facial_embeddings', 'videos']),
  );
  const parts: Buffer[] = [];
  for (const { name } of tables) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(
      t.deps.db,
    );
    for (const row of rows) {
      for (const value of Object.values(row)) {
        parts.push(Buffer.isBuffer(value) ? value : Buffer.from(`${String(value)}\n`, 'utf8'));
      }
    }
  }
  return Buffer.concat(parts);
}

/** What must not be found in plain anywhere the data rests. */
function findLeaks(bytes: Buffer, where: string, needles: Map<string, Buffer>): string[] {
  const lower = Buffer.from(bytes.toString('latin1').toLowerCase(), 'latin1');
  return [...needles].flatMap(([what, needle]) => {
    const text = needle.toString('latin1');
    const found =
      text === text.toLowerCase() && /^[\x20-\x7e]+$/.test(text)
        ? lower.includes(needle)
        : bytes.includes(needle);
    return found ? [`${what} in ${where}`] : [];
  });
}

describe.each(testDialects)('data at rest on $name', (dialect) => {
  let t: TestApp;
  let user: LoggedInUser;

  beforeAll(async () => {
    t = await startTestApp(dialect, {
      // Registered, never connected to: the camera URL is only stored.
      LIVE_FEED_ALLOWED_NETWORKS: '127.0.0.0/8',
      // Stored, never called: a recorded search sends no live alerts.
      WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8',
    });
    await startWorkers(t);
    user = await factory.signUp(t.baseUrl);
  });
  afterAll(async () => t?.close());

  it('keeps no name, note, camera password, secret, image, video or embedding readable', async () => {
    const api = client(t.baseUrl, user);
    const created = await api.createCase(
      { firstName: FIRST, lastName: LAST, notes: NOTES, lastSeenLocation: PLACE },
      scratch.file(`${FIRST.toLowerCase()}-${LAST.toLowerCase()}.jpg`),
    );
    const footage = await api.uploadVideo(
      scratch.file(`${LAST.toLowerCase()}-at-the-platform.mp4`),
      'Platform 3',
    );
    const camera = await api.addLiveFeed({
      title: 'Gate camera',
      url: `rtsp://user:${CAMERA_PASSWORD}@127.0.0.1:8554/x`,
    });
    expect(camera.sourceUrl).not.toContain(CAMERA_PASSWORD);
    const search = await api.startSearch({
      missingPersonId: created.id,
      videoIds: [footage.id],
      preset: 'balanced',
    });
    const alerts = await json<{ webhookSecret: string; webhookUrl: string }>(
      await api.request('PUT', `/api/searches/${search.id}/alerts`, {
        webhookUrl: `http://127.0.0.1:9/hook/${HOOK_TOKEN}`,
      }),
      200,
    );
    expect(alerts.webhookSecret).toMatch(/\w{16,}/);

    const done = await api.waitForSearch(search.id, ['completed', 'failed'], 240_000);
    expect(done.status).toBe('completed');
    expect(done.missingPerson).toMatchObject({ firstName: FIRST, lastName: LAST });
    const { items: appearances } = await json<{
      items: { clipUrl: string | null; frameUrl: string; faceUrl: string }[];
    }>(await get(t.baseUrl, user, `/api/searches/${search.id}/appearances`), 200);
    expect(appearances.length).toBeGreaterThan(0);
    expect(appearances[0]!.clipUrl).not.toBeNull();
    for (const url of [appearances[0]!.frameUrl, appearances[0]!.clipUrl!]) {
      expect((await get(t.baseUrl, user, url)).status).toBe(200);
    }
    // Routes still answer in plain.
    expect(await api.call('GET', `/api/missing-persons/${created.id}`)).toMatchObject({
      body: { firstName: FIRST, lastName: LAST, notes: NOTES, lastSeenLocation: PLACE },
    });
    expect((await api.call('GET', `/api/searches/${search.id}/alerts`)).body).toMatchObject({
      webhookUrl: `http://127.0.0.1:9/hook/${HOOK_TOKEN}`,
      webhookSecret: alerts.webhookSecret,
    });

    const [stored] = await t.deps.db
      .selectFrom('facial_embeddings')
      .select('vector')
      .where('missing_person_id', '=', created.id)
      .execute();
    expect(isSealedBytes(stored!.vector)).toBe(true);
    const descriptor = await t.deps.fields.openBytes(caseScope(created.id), stored!.vector);
    expect(descriptor.length).toBe(128 * 4);

    const needles = new Map<string, Buffer>([
      ['the first name', Buffer.from(FIRST.toLowerCase())],
      ['the last name', Buffer.from(LAST.toLowerCase())],
      ['the notes', Buffer.from('vrtkqsl')],
      ['the last-seen place', Buffer.from('jmbrgtz')],
      ['the camera password', Buffer.from(CAMERA_PASSWORD)],
      ['the webhook token', Buffer.from(HOOK_TOKEN)],
      ['the webhook secret', Buffer.from(alerts.webhookSecret)],
      ['the embedding', Buffer.from(descriptor.subarray(0, 64))],
    ]);
    const dataDir = t.config.DATA_DIR;
    const files = await filesUnder(dataDir);
    const leaks: string[] = [];
    const storedFiles = files.filter((file) => file.startsWith(path.join(dataDir, 'files')));
    expect(storedFiles.length).toBeGreaterThanOrEqual(4);
    for (const file of files) {
      const bytes = await readFile(file);
      const where = path.relative(dataDir, file);
      leaks.push(...findLeaks(bytes, where, needles));
      if (!storedFiles.includes(file)) continue;
      if (bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))) leaks.push(`JPEG ${where}`);
      if (bytes.subarray(4, 8).toString('latin1') === 'ftyp') leaks.push(`MP4 ${where}`);
      if (bytes.subarray(0, 4).toString('latin1') !== 'MPFE') leaks.push(`unsealed ${where}`);
    }
    if (dialect.name === 'sqlite') {
      expect(files.map((file) => path.basename(file))).toContain('app.db');
    } else {
      leaks.push(...findLeaks(await dumpTables(t), 'the PostgreSQL tables', needles));
    }
    expect(leaks).toEqual([]);

    // Scratch files (uploads in progress, ffmpeg output) are gone once the journey is over.
    const tmp = path.join(dataDir, 'tmp');
    expect(await readdir(tmp, { recursive: true }).catch(() => [])).toEqual([]);
  }, 300_000);
});
