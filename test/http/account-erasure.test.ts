import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, client, json, send, type LoggedInUser } from '../support/client.js';
import * as factory from '../support/factories.js';
import { testDialects } from '../support/databases.js';
import { scratchDir } from '../support/media-fixtures.js';
import { referencePhoto, unzipEntries } from '../support/search-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const scratch = scratchDir('mpf-erasure-');
/** A JSON file of the archive, typed as far as the test reads it. */
const entryJson = <T>(zip: Map<string, Buffer>, name: string): T =>
  JSON.parse(zip.get(name)?.toString() ?? 'null') as T;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const FRAME = Buffer.from('a frame of the search, as stored');
const FOOTAGE = Buffer.from('footage bytes standing in for a video file');

beforeAll(async () => {
  await referencePhoto(scratch.file('ada.jpg'));
});
afterAll(() => scratch.remove());

/** A finished search of `caseId` over `videoId`, with one appearance and its frame file. */
async function seedSearch(t: TestApp, ownerId: string, caseId: string, videoId: string) {
  const now = new Date().toISOString();
  const ids = { search: randomUUID(), searchVideo: randomUUID(), appearance: randomUUID() };
  const detection = randomUUID();
  const frameKey = `users/${ownerId}/searches/${ids.search}/frames/${detection}.jpg`;
  const db = t.deps.db;
  await db
    .insertInto('searches')
    .values({
      ...{ id: ids.search, owner_id: ownerId, missing_person_id: caseId, status: 'completed' },
      ...{ preset: 'fast', sampled_fps: 2, threshold: 0.6, priority: 0 },
      ...{ created_at: now, updated_at: now },
    })
    .execute();
  await db
    .insertInto('search_videos')
    .values({
      ...{ id: ids.searchVideo, search_id: ids.search, video_id: videoId, status: 'completed' },
      ...{ processed_ms: 8000, frames_analysed: 16, created_at: now, updated_at: now },
    })
    .execute();
  await db
    .insertInto('appearances')
    .values({
      ...{ id: ids.appearance, search_id: ids.search, search_video_id: ids.searchVideo },
      ...{ video_id: videoId, track_key: 't1', start_ms: 2000, end_ms: 5000, best_score: 0.9 },
      ...{ best_detection_id: detection, clip_key: null, created_at: now, updated_at: now },
    })
    .execute();
  await db
    .insertInto('detections')
    .values({
      ...{ id: detection, search_id: ids.search, search_video_id: ids.searchVideo },
      ...{ video_id: videoId, appearance_id: ids.appearance, time_ms: 3000, confidence: 0.9 },
      ...{ box_x: 1, box_y: 2, box_width: 30, box_height: 40, frame_key: frameKey },
      ...{ face_key: null, created_at: now },
    })
    .execute();
  await t.deps.storage.put(frameKey, FRAME);
  return { ...ids, detection, frameKey };
}

/** An uploaded video row of `ownerId` with a small stored file. */
async function seedVideo(t: TestApp, ownerId: string) {
  const id = randomUUID();
  const key = `users/${ownerId}/videos/${id}/original.mp4`;
  await t.deps.storage.put(key, FOOTAGE);
  const now = new Date().toISOString();
  await t.deps.db
    .insertInto('videos')
    .values({
      ...{ id, owner_id: ownerId, title: 'Platform 2', kind: 'upload', storage_key: key },
      ...{ original_name: 'platform.mp4', mime_type: 'video/mp4', status: 'ready' },
      ...{ playback_status: 'none', created_at: now, updated_at: now },
    })
    .execute();
  return { id, key };
}

describe.each(testDialects)('account export and deletion on $name', (dialect) => {
  let t: TestApp;
  let admin: LoggedInUser;
  let alice: LoggedInUser;
  let bob: LoggedInUser;
  let aloneCase: string;
  let sharedCase: string;
  let bobCase: string;
  let video: { id: string; key: string };
  let search: Awaited<ReturnType<typeof seedSearch>>;
  const upload = () => readFileSync(scratch.file('ada.jpg'));

  const photosOf = (caseId: string) =>
    t.deps.db
      .selectFrom('person_photos')
      .selectAll()
      .where('missing_person_id', '=', caseId)
      .execute();
  const download = async (user: LoggedInUser, query = '') => {
    const response = await fetch(`${t.baseUrl}/api/auth/user/export${query}`, {
      headers: bearer(user.token),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    return unzipEntries(Buffer.from(await response.arrayBuffer()));
  };
  const deleteAccount = (user: LoggedInUser, password: string) =>
    client(t.baseUrl, user).call('DELETE', '/api/auth/user', { password });

  beforeAll(async () => {
    t = await startTestApp(dialect, { AUTH_RATE_LIMIT_PER_MINUTE: '200' });
    admin = await factory.signUp(t.baseUrl);
    alice = await factory.signUp(t.baseUrl);
    bob = await factory.signUp(t.baseUrl);
    const photo = scratch.file('ada.jpg');
    aloneCase = await factory.createCase(t.baseUrl, alice, photo);
    sharedCase = await factory.createCase(t.baseUrl, alice, photo);
    bobCase = (await client(t.baseUrl, bob).createCase({ notes: 'bob-private-notes' })).id;
    await json(
      await send(t.baseUrl, alice, 'POST', `/api/missing-persons/${sharedCase}/members`, {
        username: bob.user.username,
        role: 'editor',
      }),
      201,
    );
    video = await seedVideo(t, alice.user.id);
    search = await seedSearch(t, alice.user.id, aloneCase, video.id);
  }, 120_000);
  afterAll(() => t.close());

  it("exports the user's cases, photos (byte for byte), footage and searches, and nobody else's", async () => {
    const zip = await download(alice);
    const caseJson = entryJson<{ embeddings: { vector: number[] }[] }>(
      zip,
      `cases/${aloneCase}/case.json`,
    );
    expect(caseJson).toMatchObject({ id: aloneCase, first_name: 'Ada', last_name: 'Example' });
    expect(caseJson.embeddings[0]?.vector).toHaveLength(128);
    const [photo] = await photosOf(aloneCase);
    const photoFile = [...zip.keys()].find((name) => name.includes(`photos/${photo?.id}`));
    expect(sha256(zip.get(photoFile ?? '') ?? Buffer.alloc(0))).toBe(sha256(upload()));

    const searchJson = entryJson<{ appearances: unknown[] }>(
      zip,
      `searches/${search.search}/search.json`,
    );
    expect(searchJson.appearances).toMatchObject([{ id: search.appearance, start_ms: 2000 }]);
    expect(zip.get(`searches/${search.search}/frames/${search.detection}.jpg`)).toEqual(FRAME);
    const footage = entryJson<unknown[]>(zip, 'footage.json');
    expect(footage).toMatchObject([{ id: video.id, title: 'Platform 2', file: null }]);
    expect([...zip.keys()].some((name) => name.startsWith('footage/'))).toBe(false);

    const account = entryJson<{ profile: unknown }>(zip, 'account.json');
    expect(account.profile).toMatchObject({ id: alice.user.id, email: alice.user.email });
    const everything = [...zip.values()].map((bytes) => bytes.toString('latin1')).join('\n');
    expect(everything).not.toContain('password_hash');
    expect(everything).not.toContain(bobCase);
    expect(everything).not.toContain('bob-private-notes');
    expect(everything).not.toContain(bob.token);
  });

  it('adds the footage files only when asked', async () => {
    const zip = await download(alice, '?include=files');
    expect(zip.get(`footage/${video.id}/original.mp4`)).toEqual(FOOTAGE);
  });

  it('refuses a wrong password and loses nothing', async () => {
    const answer = await deleteAccount(alice, 'not-my-password');
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('WRONG_PASSWORD');
    expect((await send(t.baseUrl, alice, 'GET', `/api/missing-persons/${aloneCase}`)).status).toBe(
      200,
    );
    expect(await t.deps.storage.stat(video.key)).toBeDefined();
  });

  it('refuses a personal API token', async () => {
    const created = await client(t.baseUrl, alice).call('POST', '/api/auth/tokens', {
      name: 'script',
      expiresInDays: 1,
    });
    expect(created.status).toBe(201);
    const script = { ...alice, token: created.body.token };
    const answer = await deleteAccount(script, alice.password);
    expect(answer.status).toBe(403);
  });

  it('refuses to delete the last administrator', async () => {
    const answer = await deleteAccount(admin, admin.password);
    expect(answer.status).toBe(409);
    expect(answer.body.error.code).toBe('LAST_ADMIN');
  });

  it('deletes the account: its cases, footage, searches and keys go, a shared case passes on, the audit trail is pseudonymised', async () => {
    const alonePhotos = await photosOf(aloneCase);
    const sharedPhotos = await photosOf(sharedCase);
    const answer = await deleteAccount(alice, alice.password);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ deletedCases: 1, transferredCases: 1 });

    expect((await send(t.baseUrl, alice, 'GET', '/api/auth/user')).status).toBe(401);
    const db = t.deps.db;
    const users = await db
      .selectFrom('users')
      .select('id')
      .where('id', '=', alice.user.id)
      .execute();
    expect(users).toEqual([]);
    expect(
      await db.selectFrom('missing_persons').select('id').where('id', '=', aloneCase).execute(),
    ).toEqual([]);
    expect(
      await db.selectFrom('videos').select('id').where('owner_id', '=', alice.user.id).execute(),
    ).toEqual([]);
    expect(
      await db.selectFrom('searches').select('id').where('id', '=', search.search).execute(),
    ).toEqual([]);
    expect(await t.deps.storage.stat(video.key)).toBeUndefined();
    expect(await t.deps.storage.stat(search.frameKey)).toBeUndefined();
    expect(await t.deps.storage.stat(alonePhotos[0]?.storage_key ?? '')).toBeUndefined();
    const scopes = (await db.selectFrom('data_keys').select('scope').execute()).map((r) => r.scope);
    expect(scopes).not.toContain(`user:${alice.user.id}`);
    expect(scopes).not.toContain(`case:${aloneCase}`);
    expect(scopes).toContain(`case:${sharedCase}`);

    const inherited = await client(t.baseUrl, bob).call(
      'GET',
      `/api/missing-persons/${sharedCase}`,
    );
    expect(inherited.body.role).toBe('owner');
    const image = await send(
      t.baseUrl,
      bob,
      'GET',
      `/api/missing-persons/${sharedCase}/photos/${sharedPhotos[0]?.id}/image`,
    );
    expect(image.status).toBe(200);
    expect(sha256(Buffer.from(await image.arrayBuffer()))).toBe(sha256(upload()));

    const audit = await db.selectFrom('audit_logs').selectAll().execute();
    const trail = JSON.stringify(audit).toLowerCase();
    for (const trace of [alice.user.id, alice.user.username, alice.user.email]) {
      expect(trail).not.toContain(trace.toLowerCase());
    }
    expect(audit.some((row) => row.actor_pseudonym?.startsWith('deleted-user:'))).toBe(true);
  });
});
