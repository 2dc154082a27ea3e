import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, withSession } from '../support/client.js';
import { signUp, uniqueUsername } from '../support/factories.js';
import { testDialects } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const json = { 'content-type': 'application/json' };

describe.each(testDialects)('accounts and sessions on $name', (dialect) => {
  let t: TestApp;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${t.baseUrl}${path}`, {
      method: 'POST',
      headers: { ...json, ...headers },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    t = await startTestApp(dialect, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  });
  afterAll(() => t.close());

  it('register, log in, read and update the profile, log out: the old cookie and token are refused', async () => {
    const username = uniqueUsername('flow');
    const registered = await post('/api/auth/register/', {
      username,
      email: `${username}@Example.com`,
      password: 'lantern-orchard-47',
    });
    expect(registered.status).toBe(201);
    const { user } = (await registered.json()) as { user: { id: string; email: string } };
    expect(user.email).toBe(`${username}@example.com`);

    const login = await post('/api/auth/login', { username, password: 'lantern-orchard-47' });
    expect(login.status).toBe(200);
    const setCookie = login.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/mpf_session=[^;]+;/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Secure/i);
    const body = (await login.json()) as { token: string; csrfToken: string; user: { id: string } };
    expect(body.user.id).toBe(user.id);
    const session = { cookie: /mpf_session=[^;]+/.exec(setCookie)![0], csrfToken: body.csrfToken };

    const me = await fetch(`${t.baseUrl}/api/auth/user`, { headers: { cookie: session.cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      user: { id: user.id, username },
      csrfToken: body.csrfToken,
    });
    const meByToken = await fetch(`${t.baseUrl}/api/auth/user/`, { headers: bearer(body.token) });
    const viaToken = (await meByToken.json()) as Record<string, unknown>;
    expect(Object.keys(viaToken)).toEqual(['user']);
    expect(viaToken.user).toMatchObject({ id: user.id });

    const updated = await fetch(`${t.baseUrl}/api/auth/user`, {
      method: 'PUT',
      headers: { ...json, ...withSession(session) },
      body: JSON.stringify({ displayName: 'Jane Doe' }),
    });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({
      user: { displayName: 'Jane Doe', email: `${username}@example.com`, emailVerified: false },
    });

    const byEmail = await post('/api/auth/login', {
      email: `${username}@example.com`,
      password: 'lantern-orchard-47',
    });
    expect(byEmail.status).toBe(200);

    const logout = await post('/api/auth/logout/', {}, withSession(session));
    expect(logout.status).toBe(204);
    expect(logout.headers.getSetCookie().join(';')).toMatch(/mpf_session=;/);

    const oldCookie = await fetch(`${t.baseUrl}/api/auth/user`, {
      headers: { cookie: session.cookie },
    });
    expect(oldCookie.status).toBe(401);
    expect(await oldCookie.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    const oldToken = await fetch(`${t.baseUrl}/api/auth/user`, { headers: bearer(body.token) });
    expect(oldToken.status).toBe(401);
  });

  it("logging out with a login's bearer token ends its cookie session too, not other tokens", async () => {
    const alice = await signUp(t.baseUrl);
    const named = (await (
      await post('/api/auth/tokens', { name: 'backup script' }, bearer(alice.token))
    ).json()) as { token: string };
    expect((await post('/api/auth/logout', {}, bearer(alice.token))).status).toBe(204);
    const me = (headers: Record<string, string>) =>
      fetch(`${t.baseUrl}/api/auth/user`, { headers }).then((r) => r.status);
    expect(await me(bearer(alice.token))).toBe(401);
    expect(await me({ cookie: alice.cookie })).toBe(401);
    expect(await me(bearer(named.token))).toBe(200);
    // Logging out with a token made on the tokens page revokes just that token.
    expect((await post('/api/auth/logout', {}, bearer(named.token))).status).toBe(204);
    expect(await me(bearer(named.token))).toBe(401);
  });

  it('refuses a wrong password and an unknown user with the same answer', async () => {
    const alice = await signUp(t.baseUrl);
    const wrong = await post('/api/auth/login', {
      username: alice.user.username,
      password: 'not-her-password',
    });
    const unknown = await post('/api/auth/login', {
      username: 'nobody-here',
      password: 'whatever-it-is',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const a: unknown = await wrong.json();
    const b: unknown = await unknown.json();
    expect(a).toEqual(b);
    expect(a).toMatchObject({ error: { code: 'INVALID_CREDENTIALS' } });
  });

  it('refuses a username or e-mail that is already registered, whatever its case', async () => {
    const alice = await signUp(t.baseUrl);
    const sameName = await post('/api/auth/register', {
      username: alice.user.username.toUpperCase(),
      email: `other-${alice.user.username}@example.com`,
      password: 'lantern-orchard-47',
    });
    expect(sameName.status).toBe(409);
    expect(await sameName.json()).toMatchObject({ error: { code: 'USERNAME_TAKEN' } });
    const sameEmail = await post('/api/auth/register', {
      username: uniqueUsername('other'),
      email: alice.user.email.toUpperCase(),
      password: 'lantern-orchard-47',
    });
    expect(sameEmail.status).toBe(409);
    expect(await sameEmail.json()).toMatchObject({ error: { code: 'EMAIL_TAKEN' } });
  });

  it.each([
    ['too short', 'Xq7!pz', ['minLength']],
    ['containing the username', 'USERNAME-is-my-secret', ['notUsername']],
    ['a common password', 'qwertyuiop', ['notCommon']],
    ['short, common and the username', 'password', ['minLength', 'notUsername', 'notCommon']],
  ])('rejects a password %s, naming each broken rule', async (_name, template, rules) => {
    const username = template === 'password' ? 'password' : uniqueUsername('weak');
    const password = template.replace('USERNAME', username);
    const response = await post('/api/auth/register', {
      username,
      email: `${uniqueUsername('weak')}@example.com`,
      password,
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: { code: string; message: string; details: { problems: { rule: string }[] } };
    };
    expect(body.error.code).toBe('WEAK_PASSWORD');
    expect(body.error.details.problems.map((p) => p.rule)).toEqual(rules);
    expect(body.error.message).toMatch(/too weak/);
  });

  it('requires the CSRF header on cookie-authenticated writes, but not with a bearer token', async () => {
    const alice = await signUp(t.baseUrl);
    const put = (headers: Record<string, string>) =>
      fetch(`${t.baseUrl}/api/auth/user`, {
        method: 'PUT',
        headers: { ...json, ...headers },
        body: JSON.stringify({ displayName: 'Alice' }),
      });
    const noCsrf = await put({ cookie: alice.cookie });
    expect(noCsrf.status).toBe(403);
    expect(await noCsrf.json()).toMatchObject({ error: { code: 'CSRF_FAILED' } });
    expect((await put({ cookie: alice.cookie, 'x-csrf-token': 'guessed' })).status).toBe(403);
    expect((await put(withSession(alice))).status).toBe(200);
    expect((await put(bearer(alice.token))).status).toBe(200);
  });

  it('lists, creates and revokes API tokens; a revoked token is refused', async () => {
    const alice = await signUp(t.baseUrl);
    const created = await post('/api/auth/tokens', { name: 'nightly import' }, bearer(alice.token));
    expect(created.status).toBe(201);
    const token = (await created.json()) as { id: string; token: string; name: string };
    expect(token.name).toBe('nightly import');

    const list = await fetch(`${t.baseUrl}/api/auth/tokens`, { headers: bearer(token.token) });
    expect(list.status).toBe(200);
    const { items } = (await list.json()) as { items: Record<string, unknown>[] };
    // The login's own token is listed as its session, not here.
    expect(items.map((i) => i.name)).toEqual(['nightly import']);
    for (const item of items)
      expect(Object.keys(item).sort()).toEqual([
        'createdAt',
        'expiresAt',
        'id',
        'lastUsedAt',
        'name',
      ]);

    const revoked = await fetch(`${t.baseUrl}/api/auth/tokens/${token.id}`, {
      method: 'DELETE',
      headers: bearer(alice.token),
    });
    expect(revoked.status).toBe(204);
    const refused = await fetch(`${t.baseUrl}/api/auth/user`, { headers: bearer(token.token) });
    expect(refused.status).toBe(401);
  });

  it("cannot revoke another user's token (404), which keeps working", async () => {
    const alice = await signUp(t.baseUrl);
    const bob = await signUp(t.baseUrl);
    const bobToken = (await (
      await post('/api/auth/tokens', { name: 'bob script' }, bearer(bob.token))
    ).json()) as { id: string; token: string };
    const response = await fetch(`${t.baseUrl}/api/auth/tokens/${bobToken.id}`, {
      method: 'DELETE',
      headers: bearer(alice.token),
    });
    expect(response.status).toBe(404);
    const bobAsks = await fetch(`${t.baseUrl}/api/auth/user`, { headers: bearer(bobToken.token) });
    expect(bobAsks.status).toBe(200);
  });

  it('changes the password, ending the other logins (cookie and token) but not this one', async () => {
    const alice = await signUp(t.baseUrl);
    const second = await post('/api/auth/login', {
      username: alice.user.username,
      password: alice.password,
    });
    const otherCookie = /mpf_session=[^;]+/.exec(second.headers.getSetCookie().join(';'))![0];
    const otherToken = ((await second.json()) as { token: string }).token;

    const wrong = await post(
      '/api/auth/password',
      { currentPassword: 'not-the-password', newPassword: 'river-stone-bridge-9' },
      withSession(alice),
    );
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: { code: 'WRONG_PASSWORD' } });

    const changed = await post(
      '/api/auth/password',
      { currentPassword: alice.password, newPassword: 'river-stone-bridge-9' },
      withSession(alice),
    );
    expect(changed.status).toBe(204);
    const here = await fetch(`${t.baseUrl}/api/auth/user`, { headers: { cookie: alice.cookie } });
    expect(here.status).toBe(200);
    const there = await fetch(`${t.baseUrl}/api/auth/user`, { headers: { cookie: otherCookie } });
    expect(there.status).toBe(401);
    const otherBearer = await fetch(`${t.baseUrl}/api/auth/user`, { headers: bearer(otherToken) });
    expect(otherBearer.status).toBe(401);
    const thisBearer = await fetch(`${t.baseUrl}/api/auth/user`, { headers: bearer(alice.token) });
    expect(thisBearer.status).toBe(200);
    const relogin = await post('/api/auth/login', {
      username: alice.user.username,
      password: 'river-stone-bridge-9',
    });
    expect(relogin.status).toBe(200);
  });

  it('tells whether a username and e-mail are still available', async () => {
    const alice = await signUp(t.baseUrl);
    const query = new URLSearchParams({ username: alice.user.username, email: 'free@example.com' });
    const response = await fetch(`${t.baseUrl}/api/auth/availability?${query.toString()}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      username: { available: false, reason: 'taken' },
      email: { available: true },
    });
    const invalid = await fetch(`${t.baseUrl}/api/auth/availability/?username=a b`);
    expect(await invalid.json()).toMatchObject({
      username: { available: false, reason: 'invalid' },
    });
  });

  it('answers requests without credentials with 401 UNAUTHENTICATED', async () => {
    const response = await fetch(`${t.baseUrl}/api/auth/tokens`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
  });

  it('documents the auth endpoints, public ones without security', async () => {
    const doc = (await (await fetch(`${t.baseUrl}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    expect(doc.paths['/api/auth/login']?.post?.security).toEqual([]);
    expect(doc.paths['/api/auth/register']?.post?.security).toEqual([]);
    expect(doc.paths['/api/auth/password-reset']?.post?.security).toEqual([]);
    expect(doc.paths['/api/auth/user']?.get?.security).toBeUndefined();
    expect(doc.paths['/api/auth/tokens/{id}']?.delete).toBeDefined();
    expect(doc.paths['/api/audit']?.get).toBeDefined();
  });
});
