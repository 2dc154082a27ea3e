import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ensureAlertAddressConfirmed } from '../../src/auth/email.service.js';
import { sendLiveMatchAlerts, type LiveAlertContext } from '../../src/live/live-alert.service.js';
import type { AppearanceDto } from '../../src/contracts/search.contract.js';
import { bearer } from '../support/client.js';
import { signUp } from '../support/factories.js';
import { testDialects } from '../support/databases.js';
import { linkToken, mailsTo, outboxMails } from '../support/mail.js';
import { useTestApp } from '../support/test-app.js';

describe.each(testDialects)('e-mail addresses confirmed by a link on $name', (dialect) => {
  const t = useTestApp(dialect, {
    AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    PUBLIC_URL: 'https://finder.example.org',
  });

  const send = (method: string, p: string, headers: Record<string, string>, body?: unknown) =>
    fetch(`${t.baseUrl}${p}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body ?? {}),
    });
  const confirm = (token: string) => send('POST', '/api/auth/email/confirm', {}, { token });
  const currentUser = async (token: string) =>
    (
      (await (await fetch(`${t.baseUrl}/api/auth/user`, { headers: bearer(token) })).json()) as {
        user: { email: string; emailVerified: boolean };
      }
    ).user;

  it('changes the e-mail only with the password and once the new address opened its link', async () => {
    const alice = await signUp(t.baseUrl);
    const oldEmail = alice.user.email;
    const newEmail = `new-${alice.user.username}@example.org`;

    const wrong = await send('POST', '/api/auth/email', bearer(alice.token), {
      email: newEmail,
      currentPassword: 'not-my-password',
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: { code: 'WRONG_PASSWORD' } });

    const asked = await send('POST', '/api/auth/email', bearer(alice.token), {
      email: newEmail,
      currentPassword: alice.password,
    });
    expect(asked.status).toBe(202);
    expect(await currentUser(alice.token)).toMatchObject({ email: oldEmail, emailVerified: false });

    const [notice] = await mailsTo(t.config.DATA_DIR, oldEmail, 1, /being changed/);
    expect(notice).toContain(newEmail);
    expect(notice).not.toContain('/confirm-email');
    const [link] = await mailsTo(t.config.DATA_DIR, newEmail);
    expect(link).toContain('https://finder.example.org/confirm-email?token=');
    const token = linkToken(link!, '/confirm-email');

    const confirmed = await confirm(token);
    expect(confirmed.status).toBe(200);
    expect(await confirmed.json()).toEqual({ purpose: 'account', email: newEmail });
    expect(await currentUser(alice.token)).toMatchObject({ email: newEmail, emailVerified: true });
    expect((await confirm(token)).status).toBe(400);
  });

  it('refuses an e-mail change through the profile update', async () => {
    const alice = await signUp(t.baseUrl);
    const response = await send('PUT', '/api/auth/user', bearer(alice.token), {
      email: 'elsewhere@example.org',
    });
    expect(response.status).toBe(400);
    expect((await currentUser(alice.token)).email).toBe(alice.user.email);
  });

  it('sends no link to an address of another account, and answers the same', async () => {
    const alice = await signUp(t.baseUrl);
    const bob = await signUp(t.baseUrl);
    const asked = await send('POST', '/api/auth/email', bearer(alice.token), {
      email: bob.user.email,
      currentPassword: alice.password,
    });
    expect(asked.status).toBe(202);
    await sleep(300);
    const toBob = (await outboxMails(t.config.DATA_DIR)).filter((m) =>
      m.includes(`To: ${bob.user.email}`),
    );
    expect(toBob).toEqual([]);
  });

  it('mails live alerts only to an address that confirmed it wants them', async () => {
    const alice = await signUp(t.baseUrl);
    const duty = `duty-${alice.user.username}@example.org`;
    const context: LiveAlertContext = {
      searchId: randomUUID(),
      ownerId: alice.user.id,
      videoId: randomUUID(),
      cameraTitle: 'Station entrance',
      person: { id: randomUUID(), firstName: 'Ada', lastName: 'Example' },
      epochMs: Date.now(),
      alerts: {
        alert_email: duty,
        alert_webhook_url: null,
        alert_webhook_secret: null,
        ends_at: null,
      },
    };
    const appearance: AppearanceDto = {
      id: randomUUID(),
      videoId: context.videoId,
      startMs: 0,
      endMs: 1000,
      bestScore: 0.9,
      detectionCount: 3,
      box: { x: 0, y: 0, width: 10, height: 10 },
      bestTimeMs: 500,
      bestDetectionId: null,
      frameUrl: '/frame',
      faceUrl: '/face',
      clipUrl: null,
    };
    const sightings = async () =>
      (await outboxMails(t.config.DATA_DIR)).filter(
        (m) => m.includes(`To: ${duty}`) && m.includes('Possible sighting'),
      );

    expect(await ensureAlertAddressConfirmed(t.deps, alice.user.id, duty, t.app.log)).toBe(false);
    expect(await sendLiveMatchAlerts(t.deps, context, appearance, null)).toEqual({
      webhook: null,
      email: false,
    });
    expect(await sightings()).toEqual([]);

    const [link] = await mailsTo(
      t.config.DATA_DIR,
      duty,
      1,
      /receive Missing Person Finder alerts/,
    );
    const confirmed = await confirm(linkToken(link!, '/confirm-email'));
    expect(await confirmed.json()).toEqual({ purpose: 'alert', email: duty });
    expect(await ensureAlertAddressConfirmed(t.deps, alice.user.id, duty, t.app.log)).toBe(true);
    expect((await sendLiveMatchAlerts(t.deps, context, appearance, null)).email).toBe(true);
    expect(await sightings()).toHaveLength(1);
  });
});
