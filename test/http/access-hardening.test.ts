import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { bearer, type LoggedInUser, withSession } from '../support/client.js';
import { signUp } from '../support/factories.js';
import { openSocket } from '../support/search-fixtures.js';
import { testDialects } from '../support/databases.js';
import { linkToken, mailsTo } from '../support/mail.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const METRICS_TOKEN = 'metrics-scraper-secret-0123456789';

describe('TRUST_PROXY', () => {
  const trust = (value: string) => parseConfig({ TRUST_PROXY: value }).TRUST_PROXY;

  it('takes a hop count or proxy addresses, and is off by default', () => {
    expect(parseConfig({}).TRUST_PROXY).toBe(false);
    expect(trust('false')).toBe(false);
    expect(trust('1')).toBe(1);
    expect(trust('10.0.0.2, 192.168.0.0/16,loopback,::1')).toEqual([
      '10.0.0.2',
      '192.168.0.0/16',
      'loopback',
      '::1',
    ]);
  });

  it('refuses "trust everyone" and anything that is not an address', () => {
    expect(() => trust('true')).toThrow(/TRUST_PROXY: give a hop count/);
    expect(() => trust('10.0.0.0/33')).toThrow(/TRUST_PROXY/);
    expect(() => trust('proxy.example.org')).toThrow(/TRUST_PROXY/);
  });
});

describe.each(testDialects)('access to system endpoints and logs on $name', (dialect) => {
  let t: TestApp;
  let logs = '';
  let admin: LoggedInUser;
  let investigator: LoggedInUser;
  beforeAll(async () => {
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs += chunk.toString('utf8');
        done();
      },
    });
    t = await startTestApp(
      dialect,
      { METRICS_TOKEN, LOG_LEVEL: 'info', AUTH_RATE_LIMIT_PER_MINUTE: '1000' },
      { logStream },
    );
    admin = await signUp(t.baseUrl);
    investigator = await signUp(t.baseUrl);
  });
  afterAll(() => t.close());

  const get = (p: string, headers: Record<string, string> = {}) =>
    fetch(`${t.baseUrl}${p}`, { headers });

  it('serves /api/metrics to an administrator or the METRICS_TOKEN only', async () => {
    expect((await get('/api/metrics')).status).toBe(401);
    expect((await get('/api/metrics', bearer('not-the-metrics-token'))).status).toBe(401);
    expect((await get('/api/metrics', bearer(investigator.token))).status).toBe(403);
    expect((await get('/api/metrics', bearer(admin.token))).status).toBe(200);
    expect((await get('/api/metrics', { cookie: admin.cookie })).status).toBe(200);
    const scraped = await get('/api/metrics', bearer(METRICS_TOKEN));
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toMatch(/^mpf_jobs\{status="queued"\} \d+$/m);
  });

  it('serves the API console to administrators only; the OpenAPI document stays public', async () => {
    for (const p of ['/api/docs/', '/api/docs/json']) {
      expect((await get(p)).status).toBe(401);
      expect((await get(p, { cookie: investigator.cookie })).status).toBe(403);
      expect((await get(p, bearer(METRICS_TOKEN))).status).toBe(401);
      expect((await get(p, { cookie: admin.cookie })).status).toBe(200);
    }
    expect((await get('/api/openapi.json')).status).toBe(200);
  });

  it('keeps tokens and reset links out of the request log', async () => {
    const socket = await openSocket(t.baseUrl, { token: investigator.token });
    socket.close();
    await get('/api/auth/user', bearer(investigator.token));
    await fetch(`${t.baseUrl}/api/auth/password-reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: investigator.user.email }),
    });
    const [mail] = await mailsTo(t.config.DATA_DIR, investigator.user.email);
    const resetToken = linkToken(mail!, '/reset-password');
    await get(`/reset-password?token=${resetToken}`);
    await get(`/api/auth/user`, withSession(investigator));

    expect(logs).toContain('/api/ws?token=[redacted]');
    expect(logs).toContain('/reset-password?token=[redacted]');
    for (const secret of [investigator.token, resetToken, investigator.cookie.split('=')[1]!]) {
      expect(logs).not.toContain(secret);
    }
  });

  it('writes outbox mail readable by the service user only', async () => {
    await fetch(`${t.baseUrl}/api/auth/password-reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: admin.user.email }),
    });
    await mailsTo(t.config.DATA_DIR, admin.user.email);
    const outbox = path.join(t.config.DATA_DIR, 'outbox');
    expect((await stat(outbox)).mode & 0o777).toBe(0o700);
    const files = (await readdir(outbox)).filter((f) => f.endsWith('.eml'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      expect((await stat(path.join(outbox, file))).mode & 0o777).toBe(0o600);
    }
  });
});

describe.each(testDialects)('client addresses behind a proxy on $name', (dialect) => {
  const sessionIp = async (t: TestApp) => {
    const alice = await signUp(t.baseUrl);
    const login = await fetch(`${t.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
      body: JSON.stringify({ username: alice.user.username, password: alice.password }),
    });
    const token = ((await login.json()) as { token: string }).token;
    const sessions = (await (
      await fetch(`${t.baseUrl}/api/auth/sessions`, { headers: bearer(token) })
    ).json()) as { items: { ip: string; current: boolean }[] };
    return sessions.items.find((s) => s.current)?.ip;
  };

  it('ignores X-Forwarded-For unless TRUST_PROXY names the hop it came through', async () => {
    const direct = await startTestApp(dialect);
    try {
      expect(await sessionIp(direct)).toBe('127.0.0.1');
    } finally {
      await direct.close();
    }
    const proxied = await startTestApp(dialect, { TRUST_PROXY: 'loopback' });
    try {
      expect(await sessionIp(proxied)).toBe('203.0.113.9');
    } finally {
      await proxied.close();
    }
  });
});

describe.each(testDialects)('who has an account, by registration mode, on $name', (dialect) => {
  it('answers the availability check only while registration is open', async () => {
    const invite = await startTestApp(dialect, { REGISTRATION: 'invite' });
    try {
      const response = await fetch(`${invite.baseUrl}/api/auth/availability?email=a@example.com`);
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: 'REGISTRATION_CLOSED' } });
    } finally {
      await invite.close();
    }
  });
});
