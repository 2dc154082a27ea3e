import { setTimeout as sleep } from 'node:timers/promises';
import argon2 from 'argon2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bearer } from '../support/client.js';
import { signUp } from '../support/factories.js';
import { testDialects } from '../support/databases.js';
import { outboxMails } from '../support/mail.js';
import { startTestApp, useTestApp, type TestApp } from '../support/test-app.js';

describe.each(testDialects)('session lifetime on $name', (dialect) => {
  let t: TestApp;
  // An idle timeout of 3 seconds, so the test can watch a session time out.
  beforeAll(async () => {
    t = await startTestApp(dialect, { SESSION_IDLE_MINUTES: '0.05' });
  });
  afterAll(() => t.close());

  const me = (headers: Record<string, string>) => fetch(`${t.baseUrl}/api/auth/user`, { headers });

  it('keeps a session alive while it is used and ends it after the idle timeout', async () => {
    const alice = await signUp(t.baseUrl);
    await sleep(2000);
    expect((await me({ cookie: alice.cookie })).status).toBe(200);
    await sleep(2000);
    // 4 s after login, but only 2 s after the last use: still signed in.
    expect((await me({ cookie: alice.cookie })).status).toBe(200);
    await sleep(3500);
    const expired = await me({ cookie: alice.cookie });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: { code: 'SESSION_EXPIRED' } });
    expect(expired.headers.getSetCookie().join(';')).toMatch(/mpf_session=;/);
    // The session is gone, not just refused once.
    expect(await (await me({ cookie: alice.cookie })).json()).toMatchObject({
      error: { code: 'UNAUTHENTICATED' },
    });
    // The login's bearer token ended with its session.
    expect((await me(bearer(alice.token))).status).toBe(401);
  });

  it('keeps a session alive while its login token is used, and ends the token with it', async () => {
    const alice = await signUp(t.baseUrl);
    await sleep(2000);
    expect((await me(bearer(alice.token))).status).toBe(200);
    await sleep(2000);
    // Used by the token 2 s ago: the session (and its cookie) is still alive.
    expect((await me({ cookie: alice.cookie })).status).toBe(200);
    await sleep(3500);
    const expired = await me(bearer(alice.token));
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: { code: 'SESSION_EXPIRED' } });
    expect((await me({ cookie: alice.cookie })).status).toBe(401);
  });

  it('ends a session and its login token at its absolute lifetime even while in use', async () => {
    const alice = await signUp(t.baseUrl);
    expect((await me({ cookie: alice.cookie })).status).toBe(200);
    await t.deps.db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('user_id', '=', alice.user.id)
      .execute();
    const response = await me(bearer(alice.token));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'SESSION_EXPIRED' } });
    expect((await me({ cookie: alice.cookie })).status).toBe(401);
  });
});

describe.each(testDialects)('auth rate limits on $name', (dialect) => {
  let t: TestApp;
  // Three attempts a minute; client addresses come from X-Forwarded-For behind a proxy.
  beforeAll(async () => {
    t = await startTestApp(dialect, { AUTH_RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: '1' });
  });
  afterAll(() => t.close());

  const login = (username: string, ip: string) =>
    fetch(`${t.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ username, password: 'guessing-again-1' }),
    });

  async function expectLimited(response: Response) {
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await response.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
  }

  it('limits login attempts on one account from one address, not from the others', async () => {
    for (let n = 0; n < 3; n += 1) {
      expect((await login('target-account', '10.0.0.1')).status).toBe(401);
    }
    await expectLimited(await login('target-account', '10.0.0.1'));
    // The same account from another address is slowed down, not refused: nobody can lock the
    // owner out by failing on purpose.
    expect((await login('target-account', '10.0.0.2')).status).toBe(401);
  });

  it('limits login attempts from one address, whatever accounts they name', async () => {
    for (const name of ['spray-1', 'spray-2', 'spray-3']) {
      expect((await login(name, '10.0.1.1')).status).toBe(401);
    }
    await expectLimited(await login('spray-4', '10.0.1.1'));
  });

  it('marks the session cookie Secure when the request came over HTTPS through the proxy', async () => {
    const alice = await signUp(t.baseUrl, { username: `secure_${Date.now()}` });
    const response = await fetch(`${t.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': '10.0.3.1',
        'x-forwarded-proto': 'https',
      },
      body: JSON.stringify({ username: alice.user.email, password: alice.password }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie().join(';')).toMatch(/mpf_session=[^;]+;.*Secure/i);
  });

  it('limits registrations from one address', async () => {
    const register = (n: number) =>
      fetch(`${t.baseUrl}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.0.2.1' },
        body: JSON.stringify({ username: `x`, email: `r${n}@example.com`, password: 'short' }),
      });
    for (const n of [1, 2, 3]) expect((await register(n)).status).toBe(400);
    await expectLimited(await register(4));
  });
});

describe.each(testDialects)('password spraying on $name', (dialect) => {
  const t = useTestApp(dialect, {
    AUTH_RATE_LIMIT_PER_MINUTE: '3',
    TRUST_PROXY: '1',
    LOGIN_ALERT_FAILURES: '5',
    LOGIN_SLOWDOWN_MAX_SECONDS: '0.3',
  });

  const login = (username: string, password: string, ip: string) =>
    fetch(`${t.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ username, password }),
    });

  it('lets the owner sign in during a spray from other addresses, and alerts them once', async () => {
    const alice = await signUp(t.baseUrl);
    const name = alice.user.username;
    for (let n = 1; n <= 12; n += 1) {
      expect((await login(name, `guess-number-${n}`, `10.1.0.${n}`)).status).toBe(401);
    }
    expect((await login(name, alice.password, '10.9.9.9')).status).toBe(200);

    const alerts = await t.deps.db
      .selectFrom('audit_logs')
      .selectAll()
      .where('user_id', '=', alice.user.id)
      .where('action', '=', 'auth.security_alert')
      .execute();
    expect(alerts).toHaveLength(1);
    await expect
      .poll(async () =>
        (await outboxMails(t.config.DATA_DIR)).filter(
          (m) => m.includes(`To: ${alice.user.email}`) && m.includes('Failed sign-in attempts'),
        ),
      )
      .toHaveLength(1);
  });

  it('spends a password check on an unknown name, as on a known one', async () => {
    const alice = await signUp(t.baseUrl);
    const verify = vi.spyOn(argon2, 'verify');
    try {
      const unknown = await login('nobody-has-this-name', 'some-password-1', '10.2.0.1');
      expect(unknown.status).toBe(401);
      expect(verify).toHaveBeenCalledTimes(1);
      const known = await login(alice.user.username, 'some-password-1', '10.2.0.2');
      expect(known.status).toBe(401);
      expect(verify).toHaveBeenCalledTimes(2);
      expect(await unknown.json()).toEqual(await known.json());
    } finally {
      verify.mockRestore();
    }
  });
});
