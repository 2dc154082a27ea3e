import { describe, expect, it } from 'vitest';
import { bearer, type LoggedInUser, withSession } from '../support/client.js';
import { signUp } from '../support/factories.js';
import { openSocket } from '../support/search-fixtures.js';
import { testDialects } from '../support/databases.js';
import { useTestApp } from '../support/test-app.js';

interface SessionItem {
  id: string;
  device: string;
  ip: string | null;
  lastSeenAt: string;
  current: boolean;
}

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

describe.each(testDialects)('logins, sessions and tokens on $name', (dialect) => {
  const t = useTestApp(dialect, {
    AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    WS_REVALIDATE_SECONDS: '1',
    // These tests end logins by editing the database behind the app's back, which no process
    // hears of: a login found live a moment ago must not be reused.
    LOGIN_CACHE_SECONDS: '0',
  });

  const me = (headers: Record<string, string>) => fetch(`${t.baseUrl}/api/auth/user`, { headers });
  const send = (method: string, p: string, headers: Record<string, string>, body?: unknown) =>
    fetch(`${t.baseUrl}${p}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  /** A second login of the same user, from another device. */
  async function loginAgain(user: LoggedInUser, userAgent = FIREFOX): Promise<LoggedInUser> {
    const response = await send(
      'POST',
      '/api/auth/login',
      { 'user-agent': userAgent },
      { username: user.user.username, password: user.password },
    );
    const body = (await response.json()) as { token: string; csrfToken: string };
    const cookie = /mpf_session=[^;]+/.exec(response.headers.getSetCookie().join(';'))![0];
    return { ...user, token: body.token, csrfToken: body.csrfToken, cookie };
  }

  async function personalToken(user: LoggedInUser, expiresInDays?: number) {
    const response = await send('POST', '/api/auth/tokens', bearer(user.token), {
      name: 'script',
      ...(expiresInDays === undefined ? {} : { expiresInDays }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; token: string; expiresAt: string };
  }

  it('ends the login token at logout by cookie, and the cookie at logout by token', async () => {
    const alice = await signUp(t.baseUrl);
    expect((await send('POST', '/api/auth/logout', withSession(alice))).status).toBe(204);
    expect((await me(bearer(alice.token))).status).toBe(401);

    const again = await loginAgain(alice);
    expect((await send('POST', '/api/auth/logout', bearer(again.token))).status).toBe(204);
    expect((await me({ cookie: again.cookie })).status).toBe(401);
  });

  it('gives personal tokens an expiry of 90 days by default and at most a year', async () => {
    const alice = await signUp(t.baseUrl);
    const token = await personalToken(alice);
    const days = (Date.parse(token.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);
    const tooLong = await send('POST', '/api/auth/tokens', bearer(alice.token), {
      name: 'forever',
      expiresInDays: 366,
    });
    expect(tooLong.status).toBe(400);

    expect((await me(bearer(token.token))).status).toBe(200);
    const tokens = (await (await send('GET', '/api/auth/tokens', bearer(alice.token))).json()) as {
      items: { id: string; lastUsedAt: string | null }[];
    };
    expect(tokens.items.find((i) => i.id === token.id)?.lastUsedAt).not.toBeNull();

    await t.deps.db
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', token.id)
      .execute();
    const expired = await me(bearer(token.token));
    expect(expired.status).toBe(401);
    const after = (await (await send('GET', '/api/auth/tokens', bearer(alice.token))).json()) as {
      items: { id: string }[];
    };
    expect(after.items.map((i) => i.id)).not.toContain(token.id);
  });

  it('changing the password ends every other session and token, not the calling one', async () => {
    const alice = await signUp(t.baseUrl);
    const other = await loginAgain(alice);
    const script = await personalToken(alice);
    const changed = await send('POST', '/api/auth/password', withSession(alice), {
      currentPassword: alice.password,
      newPassword: 'river-stone-bridge-9',
    });
    expect(changed.status).toBe(204);
    expect((await me({ cookie: alice.cookie })).status).toBe(200);
    expect((await me(bearer(alice.token))).status).toBe(200);
    expect((await me({ cookie: other.cookie })).status).toBe(401);
    expect((await me(bearer(other.token))).status).toBe(401);
    expect((await me(bearer(script.token))).status).toBe(401);
  });

  it('lists the active sessions with device, IP and this one, and ends one of them', async () => {
    const alice = await signUp(t.baseUrl);
    const phone = await loginAgain(
      alice,
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile/15E148 Safari/604.1',
    );
    const response = await send('GET', '/api/auth/sessions', withSession(alice));
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: SessionItem[] };
    expect(items).toHaveLength(2);
    expect(items.filter((i) => i.current)).toHaveLength(1);
    const phoneItem = items.find((i) => i.device === 'Safari on iOS');
    expect(phoneItem).toMatchObject({ current: false, ip: '127.0.0.1' });
    // The id shown is not the stored hash of the cookie.
    const stored = await t.deps.db.selectFrom('sessions').select('id').execute();
    expect(stored.map((row) => row.id)).not.toContain(phoneItem!.id);

    const socket = await openSocket(t.baseUrl, { token: phone.token });
    const ended = await send('DELETE', `/api/auth/sessions/${phoneItem!.id}`, withSession(alice));
    expect(ended.status).toBe(204);
    expect((await me({ cookie: phone.cookie })).status).toBe(401);
    expect((await me(bearer(phone.token))).status).toBe(401);
    expect((await me({ cookie: alice.cookie })).status).toBe(200);
    expect((await socket.closed).code).toBe(4401);

    // Another user cannot end (or even see) alice's sessions.
    const bob = await signUp(t.baseUrl);
    const current = items.find((i) => i.current)!;
    const foreign = await send('DELETE', `/api/auth/sessions/${current.id}`, bearer(bob.token));
    expect(foreign.status).toBe(404);
    expect((await me({ cookie: alice.cookie })).status).toBe(200);
  });

  it('logs out everywhere: every session and login token ends, personal tokens stay', async () => {
    const alice = await signUp(t.baseUrl);
    const laptop = await loginAgain(alice);
    const script = await personalToken(alice);
    expect((await send('POST', '/api/auth/logout-all', withSession(alice))).status).toBe(204);
    for (const login of [alice, laptop]) {
      expect((await me({ cookie: login.cookie })).status).toBe(401);
      expect((await me(bearer(login.token))).status).toBe(401);
    }
    expect((await me(bearer(script.token))).status).toBe(200);
  });

  it('closes a WebSocket within seconds of the logout of its login', async () => {
    const alice = await signUp(t.baseUrl);
    const byToken = await openSocket(t.baseUrl, { token: alice.token });
    const byCookie = await openSocket(t.baseUrl, { headers: { cookie: alice.cookie } });
    const bob = await signUp(t.baseUrl);
    const bystander = await openSocket(t.baseUrl, { token: bob.token });
    const started = Date.now();
    expect((await send('POST', '/api/auth/logout', withSession(alice))).status).toBe(204);
    const [tokenClosed, cookieClosed] = await Promise.all([byToken.closed, byCookie.closed]);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(tokenClosed).toEqual({ code: 4401, reason: 'Signed out' });
    expect(cookieClosed.code).toBe(4401);
    // Another user's socket stays open.
    const stillOpen = await Promise.race([
      bystander.closed.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 1500)),
    ]);
    expect(stillOpen).toBe(true);
    bystander.close();
  });

  it('closes a WebSocket when its token is revoked or its session runs out', async () => {
    const alice = await signUp(t.baseUrl);
    const script = await personalToken(alice);
    const scriptSocket = await openSocket(t.baseUrl, { token: script.token });
    await send('DELETE', `/api/auth/tokens/${script.id}`, bearer(alice.token));
    expect((await scriptSocket.closed).code).toBe(4401);

    // Expiry is not announced: the periodic re-validation (every second here) finds it.
    const socket = await openSocket(t.baseUrl, { token: alice.token });
    await t.deps.db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('user_id', '=', alice.user.id)
      .execute();
    const started = Date.now();
    expect((await socket.closed).code).toBe(4401);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
