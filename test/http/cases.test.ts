import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type LoggedInUser, withSession } from '../support/client.js';
import { signUp } from '../support/factories.js';
import { testDialects } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface CaseBody {
  id: string;
  firstName: string;
  lastName: string;
  age: number | null;
  notes: string | null;
  lastSeenAt: string | null;
  status: string;
  photoCount: number;
  createdAt: string;
  updatedAt: string;
}

describe.each(testDialects)('missing-person cases on $name', (dialect) => {
  let t: TestApp;
  let alice: LoggedInUser;
  let bob: LoggedInUser;

  beforeAll(async () => {
    t = await startTestApp(dialect, { AUTH_RATE_LIMIT_PER_MINUTE: '1000', FACE_WORKERS: '1' });
    alice = await signUp(t.baseUrl);
    bob = await signUp(t.baseUrl);
  });
  afterAll(() => t.close());

  const send = (user: LoggedInUser | null, method: string, path: string, body?: unknown) =>
    fetch(`${t.baseUrl}/api/missing-persons${path}`, {
      method,
      headers: {
        ...(user ? bearer(user.token) : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  async function createCase(user: LoggedInUser, body: Record<string, unknown>): Promise<CaseBody> {
    const response = await send(user, 'POST', '', body);
    expect(response.status).toBe(201);
    return (await response.json()) as CaseBody;
  }

  const auditActions = async (targetId: string) =>
    (
      await t.deps.db
        .selectFrom('audit_logs')
        .select('action')
        .where('target_id', '=', targetId)
        .orderBy('created_at')
        .execute()
    ).map((row) => row.action);

  it('opens a case with every field and reads it back', async () => {
    const created = await createCase(alice, {
      firstName: 'Maria',
      lastName: 'Jensen',
      age: 34,
      gender: 'female',
      heightCm: 168,
      weightKg: 61,
      lastSeenLocation: 'Central Station',
      lastSeenAt: '2026-11-20T17:45:00Z',
      notes: 'Red raincoat',
    });
    expect(created).toMatchObject({
      firstName: 'Maria',
      lastName: 'Jensen',
      age: 34,
      heightCm: 168,
      lastSeenAt: '2026-11-20T17:45:00.000Z',
      status: 'missing',
      photoCount: 0,
    });
    expect(created.createdAt).toBe(created.updatedAt);

    const read = await send(alice, 'GET', `/${created.id}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(created);
  });

  it('refuses a case without a last name, naming the field', async () => {
    const response = await send(alice, 'POST', '', { firstName: 'Only' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).toContain('lastName');
  });

  it('lists newest first, filters by status, searches names case-insensitively, paginates', async () => {
    const owner = await signUp(t.baseUrl);
    const names = ['Anna Berg', 'Jonas Lind', 'Sofia Bergman', 'Erik Holm'];
    const ids: string[] = [];
    for (const name of names) {
      const [firstName, lastName] = name.split(' ');
      ids.push((await createCase(owner, { firstName, lastName })).id);
    }
    await send(owner, 'PATCH', `/${ids[1]}`, { status: 'found' });

    const all = (await (await send(owner, 'GET', '')).json()) as {
      items: CaseBody[];
      total: number;
    };
    expect(all.total).toBe(4);
    expect(all.items.map((c) => c.id)).toEqual([...ids].reverse());

    const found = (await (await send(owner, 'GET', '?status=found')).json()) as {
      items: CaseBody[];
    };
    expect(found.items.map((c) => c.firstName)).toEqual(['Jonas']);

    const berg = (await (await send(owner, 'GET', '?q=BERG')).json()) as { items: CaseBody[] };
    expect(berg.items.map((c) => c.firstName).sort()).toEqual(['Anna', 'Sofia']);
    const fullName = (await (await send(owner, 'GET', '?q=anna%20b')).json()) as {
      items: CaseBody[];
    };
    expect(fullName.items.map((c) => c.firstName)).toEqual(['Anna']);
    const wildcard = (await (await send(owner, 'GET', '?q=%25')).json()) as { total: number };
    expect(wildcard.total).toBe(0);

    const page2 = (await (await send(owner, 'GET', '?page=2&pageSize=3')).json()) as {
      items: CaseBody[];
      page: number;
      pageSize: number;
      total: number;
    };
    expect(page2).toMatchObject({ page: 2, pageSize: 3, total: 4 });
    expect(page2.items.map((c) => c.id)).toEqual([ids[0]]);
  });

  it('searches the sealed names of every case the user sees, with the total of all matches', async () => {
    const owner = await signUp(t.baseUrl);
    const names = ['Ida Strand', 'Ola Strandberg', 'Per Nord', 'Kari Strandli', 'Ane Strand'];
    const ids: string[] = [];
    for (const name of names) {
      const [firstName, lastName] = name.split(' ');
      ids.push((await createCase(owner, { firstName, lastName, notes: `Notes of ${name}` })).id);
    }
    await send(owner, 'PATCH', `/${ids[3]}`, { status: 'found' });
    // A case of someone else by a matching name: not seen, so neither listed nor counted.
    await createCase(bob, { firstName: 'Strand', lastName: 'Other' });
    // One shared with the owner is found by its name like their own.
    const shared = await createCase(bob, { firstName: 'Liv', lastName: 'Strandvik' });
    const share = await send(bob, 'POST', `/${shared.id}/members`, {
      username: owner.user.username,
      role: 'viewer',
    });
    expect(share.status).toBe(201);

    const stored = await t.deps.db
      .selectFrom('missing_persons')
      .select(['first_name', 'last_name', 'notes'])
      .where('id', 'in', ids)
      .execute();
    for (const row of stored) {
      expect([row.first_name, row.last_name, row.notes].every((v) => v?.startsWith('enc1:'))).toBe(
        true,
      );
    }

    type Page = { items: CaseBody[]; total: number; page: number; pageSize: number };
    const list = async (query: string) => (await (await send(owner, 'GET', query)).json()) as Page;
    const first = await list('?q=STRAND&pageSize=2');
    expect(first).toMatchObject({ total: 5, page: 1, pageSize: 2 });
    expect(first.items.map((c) => c.lastName)).toEqual(['Strandvik', 'Strand']);
    const third = await list('?q=strand&pageSize=2&page=3');
    expect(third.total).toBe(5);
    expect(third.items.map((c) => c.id)).toEqual([ids[0]]);
    expect(third.items[0]).toMatchObject({ firstName: 'Ida', notes: 'Notes of Ida Strand' });
    const beyond = await list('?q=strand&pageSize=2&page=4');
    expect(beyond).toMatchObject({ total: 5, items: [] });
    const found = await list('?q=strand&status=found');
    expect(found.items.map((c) => c.firstName)).toEqual(['Kari']);
    expect(found.total).toBe(1);
    expect((await list('?q=ola%20strandb')).items.map((c) => c.id)).toEqual([ids[1]]);
  });

  it('replaces with PUT (clearing what is left out), patches the status, audits each change', async () => {
    const created = await createCase(alice, {
      firstName: 'Lars',
      lastName: 'Moe',
      age: 70,
      notes: 'Uses a cane',
    });
    const put = await send(alice, 'PUT', `/${created.id}`, { firstName: 'Lars', lastName: 'Moen' });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({
      lastName: 'Moen',
      age: null,
      notes: null,
      status: 'missing',
    });

    const patched = await send(alice, 'PATCH', `/${created.id}`, { status: 'closed' });
    expect(await patched.json()).toMatchObject({ lastName: 'Moen', status: 'closed' });
    const badStatus = await send(alice, 'PATCH', `/${created.id}`, { status: 'lost' });
    expect(badStatus.status).toBe(400);

    expect(await auditActions(created.id)).toEqual(['case.create', 'case.update', 'case.update']);
  });

  it('works with the session cookie and refuses a cookie write without the CSRF token', async () => {
    const withCsrf = await fetch(`${t.baseUrl}/api/missing-persons`, {
      method: 'POST',
      headers: { ...withSession(alice), 'content-type': 'application/json' },
      body: JSON.stringify({ firstName: 'Cookie', lastName: 'Case' }),
    });
    expect(withCsrf.status).toBe(201);
    const withoutCsrf = await fetch(`${t.baseUrl}/api/missing-persons`, {
      method: 'POST',
      headers: { cookie: alice.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ firstName: 'Cookie', lastName: 'Case' }),
    });
    expect(withoutCsrf.status).toBe(403);
  });

  it('deletes a case, refusing while a search of it is active and taking finished ones along', async () => {
    const created = await createCase(alice, { firstName: 'Del', lastName: 'Eted' });
    const now = new Date().toISOString();
    const searchId = crypto.randomUUID();
    await t.deps.db
      .insertInto('searches')
      .values({
        id: searchId,
        owner_id: alice.user.id,
        missing_person_id: created.id,
        status: 'running',
        preset: 'balanced',
        sampled_fps: 2,
        threshold: 0.6,
        priority: 0,
        created_at: now,
        updated_at: now,
      })
      .execute();

    const refused = await send(alice, 'DELETE', `/${created.id}`);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({
      error: { code: 'IN_USE', details: { searchIds: [searchId] } },
    });
    expect((await send(alice, 'GET', `/${created.id}`)).status).toBe(200);

    await t.deps.db
      .updateTable('searches')
      .set({ status: 'completed' })
      .where('id', '=', searchId)
      .execute();
    const deleted = await send(alice, 'DELETE', `/${created.id}`);
    expect(deleted.status).toBe(204);
    expect((await send(alice, 'GET', `/${created.id}`)).status).toBe(404);
    const searches = await t.deps.db
      .selectFrom('searches')
      .select('id')
      .where('id', '=', searchId)
      .execute();
    expect(searches).toEqual([]);
    expect(await auditActions(created.id)).toEqual(['case.create', 'case.delete']);
  });

  it("answers 404 to every read and write of another user's case", async () => {
    const mine = await createCase(alice, { firstName: 'Private', lastName: 'Case' });
    for (const [method, body] of [
      ['GET', undefined],
      ['PUT', { firstName: 'X', lastName: 'Y' }],
      ['PATCH', { status: 'found' }],
      ['DELETE', undefined],
    ] as const) {
      const response = await send(bob, method, `/${mine.id}`, body);
      expect(response.status, method).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
    const bobsList = (await (await send(bob, 'GET', '')).json()) as { items: { id: string }[] };
    expect(bobsList.items.map((item) => item.id)).not.toContain(mine.id);
    expect(await send(alice, 'GET', `/${mine.id}`).then((r) => r.json())).toMatchObject({
      firstName: 'Private',
      status: 'missing',
    });
  });

  it('documents every case and photo route, with examples, in the OpenAPI document', async () => {
    const response = await fetch(`${t.baseUrl}/api/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as {
      paths: Record<string, Record<string, { tags?: string[]; requestBody?: unknown }>>;
    };
    const base = '/api/missing-persons';
    const expected = {
      [base]: ['get', 'post'],
      [`${base}/{id}`]: ['delete', 'get', 'patch', 'put'],
      [`${base}/{id}/photos`]: ['get', 'post'],
      [`${base}/{id}/photos/{photoId}`]: ['delete', 'get'],
      [`${base}/{id}/photos/{photoId}/image`]: ['get'],
    };
    for (const [route, methods] of Object.entries(expected)) {
      expect(Object.keys(doc.paths[route] ?? {}).sort(), route).toEqual(methods);
    }
    expect(doc.paths[base]?.post?.tags).toEqual(['missing persons']);
    expect(JSON.stringify(doc.paths[`${base}/{id}/photos`]?.post?.requestBody)).toContain(
      'multipart/form-data',
    );
    expect(JSON.stringify(doc.paths[base]?.post?.requestBody)).toContain('"example":"Maria"');
  });

  it('answers 401 without credentials', async () => {
    expect((await send(null, 'GET', '')).status).toBe(401);
    expect((await send(null, 'POST', '', { firstName: 'A', lastName: 'B' })).status).toBe(401);
  });
});
