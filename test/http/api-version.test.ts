import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, withSession } from '../support/client.js';
import { signUp, uniqueUsername } from '../support/factories.js';
import { openSocket } from '../support/search-fixtures.js';
import { testDialects } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe.each(testDialects)('API versions on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  /** Status and body of the same request sent under both prefixes. */
  async function both(path: string, init: RequestInit = {}) {
    const answers = await Promise.all(
      ['/api/v1', '/api'].map(async (prefix) => {
        const response = await fetch(`${t.baseUrl}${prefix}${path}`, init);
        const text = await response.text();
        return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
      }),
    );
    return { v1: answers[0], alias: answers[1] };
  }

  it('registers, signs in and reads the account under /api/v1 with the same answers as /api', async () => {
    const username = uniqueUsername('v1');
    const password = 'correct-horse-battery-staple';
    const registered = await fetch(`${t.baseUrl}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, email: `${username}@example.com`, password }),
    });
    expect(registered.status).toBe(201);
    const login = await fetch(`${t.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };

    const account = await both('/auth/user', { headers: bearer(token) });
    expect(account.v1).toEqual(account.alias);
    expect(account.v1?.status).toBe(200);
    expect(account.v1?.body).toMatchObject({ user: { username } });

    const anonymous = await both('/auth/user');
    expect(anonymous.v1).toEqual(anonymous.alias);
    expect(anonymous.v1?.status).toBe(401);
  });

  it('creates a case under /api/v1 with a session and CSRF token, and lists it under both', async () => {
    const user = await signUp(t.baseUrl);
    const created = await fetch(`${t.baseUrl}/api/v1/missing-persons`, {
      method: 'POST',
      headers: { ...withSession(user), 'content-type': 'application/json' },
      body: JSON.stringify({ firstName: 'Versioned', lastName: 'Case' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    const one = await both(`/missing-persons/${id}`, { headers: bearer(user.token) });
    expect(one.v1).toEqual(one.alias);
    expect(one.v1?.body).toMatchObject({ id, firstName: 'Versioned' });
    const list = await both('/missing-persons?pageSize=10', { headers: bearer(user.token) });
    expect(list.v1).toEqual(list.alias);
    const missing = await both(`/missing-persons/${randomUUID()}`, { headers: bearer(user.token) });
    expect(missing.v1).toEqual(missing.alias);
    expect(missing.v1?.status).toBe(404);
  });

  it('serves health and the OpenAPI document under both, and the document names the alias', async () => {
    const health = await fetch(`${t.baseUrl}/api/v1/health`);
    expect(health.status).toBe((await fetch(`${t.baseUrl}/api/health`)).status);
    const doc = await both('/openapi.json');
    expect(doc.v1).toEqual(doc.alias);
    const info = (doc.v1?.body as { info: { description: string } }).info;
    expect(info.description).toContain('/api/v1');
    expect((await fetch(`${t.baseUrl}/api/v2/health`)).status).toBe(404);
  });

  it('opens the search WebSocket under /api/v1/ws as under /api/ws', async () => {
    const user = await signUp(t.baseUrl);
    await expect(openSocket(t.baseUrl, { path: '/api/v1/ws' })).rejects.toThrow(/401/);
    for (const path of ['/api/v1/ws', '/api/ws']) {
      const socket = await openSocket(t.baseUrl, { path, token: user.token });
      socket.send({ type: 'subscribe', searchId: randomUUID() });
      const refused = await socket.waitFor((message) => message.type === 'error', 10_000);
      expect(refused.code).toBe('NOT_FOUND');
      socket.close();
    }
  });
});
