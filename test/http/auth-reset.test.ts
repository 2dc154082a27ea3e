import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../support/client.js';
import { signUp } from '../support/factories.js';
import { testDialects } from '../support/databases.js';
import { linkToken, mailsTo as mailsToIn } from '../support/mail.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe.each(testDialects)('password reset by e-mail on $name', (dialect) => {
  let t: TestApp;
  const outbox = () => path.join(t.config.DATA_DIR, 'outbox');
  const post = (p: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${t.baseUrl}${p}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  const mailsTo = (address: string, count: number) => mailsToIn(t.config.DATA_DIR, address, count);
  const tokenIn = (mail: string) => linkToken(mail, '/reset-password');

  beforeAll(async () => {
    t = await startTestApp(dialect, {
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
      PUBLIC_URL: 'https://finder.example.org',
    });
  });
  afterAll(() => t.close());

  it('mails a link to the outbox whose token sets a new password once and ends all sessions and tokens', async () => {
    const alice = await signUp(t.baseUrl);
    const created = await post('/api/auth/tokens', { name: 'script' }, bearer(alice.token));
    const personal = ((await created.json()) as { token: string }).token;
    const requested = await post('/api/auth/password-reset', { email: alice.user.email });
    expect(requested.status).toBe(202);

    const [mail] = await mailsTo(alice.user.email, 1);
    expect(mail).toContain('Subject: Reset your Missing Person Finder password');
    expect(mail!).toContain('https://finder.example.org/reset-password?token=');
    const token = tokenIn(mail!);

    const weak = await post('/api/auth/password-reset/confirm', { token, newPassword: 'abc' });
    expect(weak.status).toBe(400);
    expect(await weak.json()).toMatchObject({ error: { code: 'WEAK_PASSWORD' } });

    const confirmed = await post('/api/auth/password-reset/confirm', {
      token,
      newPassword: 'quiet-harbour-lights-3',
    });
    expect(confirmed.status).toBe(204);

    const again = await post('/api/auth/password-reset/confirm', {
      token,
      newPassword: 'another-fine-phrase-8',
    });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: { code: 'INVALID_TOKEN' } });

    const oldSession = await fetch(`${t.baseUrl}/api/auth/user`, {
      headers: { cookie: alice.cookie },
    });
    expect(oldSession.status).toBe(401);
    const oldToken = await fetch(`${t.baseUrl}/api/auth/user`, {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    expect(oldToken.status).toBe(401);
    const personalToken = await fetch(`${t.baseUrl}/api/auth/user`, { headers: bearer(personal) });
    expect(personalToken.status).toBe(401);
    const username = alice.user.username;
    expect((await post('/api/auth/login', { username, password: alice.password })).status).toBe(
      401,
    );
    expect(
      (await post('/api/auth/login', { username, password: 'quiet-harbour-lights-3' })).status,
    ).toBe(200);
  });

  it('answers an unknown e-mail exactly like a known one and sends nothing', async () => {
    const response = await post('/api/auth/password-reset', { email: 'nobody@example.com' });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: true });
    await sleep(300);
    const files = await readdir(outbox()).catch(() => [] as string[]);
    const mails = await Promise.all(
      files.filter((f) => f.endsWith('.eml')).map((f) => readFile(path.join(outbox(), f), 'utf8')),
    );
    expect(mails.some((m) => m.includes('nobody@example.com'))).toBe(false);
  });

  it('refuses an expired link, and an older link once a newer one was sent', async () => {
    const bob = await signUp(t.baseUrl);
    await post('/api/auth/password-reset', { email: bob.user.email });
    const first = tokenIn((await mailsTo(bob.user.email, 1))[0]!);
    await post('/api/auth/password-reset', { email: bob.user.email });
    const second = (await mailsTo(bob.user.email, 2)).map(tokenIn).find((tk) => tk !== first)!;

    const older = await post('/api/auth/password-reset/confirm', {
      token: first,
      newPassword: 'quiet-harbour-lights-3',
    });
    expect(older.status).toBe(400);

    await t.deps.db
      .updateTable('password_resets')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('user_id', '=', bob.user.id)
      .execute();
    const expired = await post('/api/auth/password-reset/confirm', {
      token: second,
      newPassword: 'quiet-harbour-lights-3',
    });
    expect(expired.status).toBe(400);
    expect(await expired.json()).toMatchObject({ error: { code: 'INVALID_TOKEN' } });
  });
});
