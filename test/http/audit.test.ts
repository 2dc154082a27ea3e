import { describe, expect, it } from 'vitest';
import { bearer } from '../support/client.js';
import { signUp } from '../support/factories.js';
import { testDialects } from '../support/databases.js';
import { useTestApp } from '../support/test-app.js';

interface AuditPage {
  items: { action: string; ip: string | null; targetId: string | null; createdAt: string }[];
  page: number;
  pageSize: number;
  total: number;
}

describe.each(testDialects)('audit log on $name', (dialect) => {
  const t = useTestApp(dialect, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });

  const audit = async (token: string, query = '') =>
    (await (
      await fetch(`${t.baseUrl}/api/audit${query}`, { headers: bearer(token) })
    ).json()) as AuditPage;

  it("lists the caller's own security events, newest first, and nobody else's", async () => {
    const alice = await signUp(t.baseUrl);
    const bob = await signUp(t.baseUrl);
    const post = (p: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${t.baseUrl}${p}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    await post('/api/auth/login', {
      username: alice.user.username,
      password: 'wrong-password-123',
    });
    const created = (await (
      await post('/api/auth/tokens', { name: 'backup script' }, bearer(alice.token))
    ).json()) as { id: string; token: string };
    await fetch(`${t.baseUrl}/api/auth/tokens/${created.id}`, {
      method: 'DELETE',
      headers: bearer(alice.token),
    });

    const page = await audit(alice.token);
    expect(page.items.map((i) => i.action)).toEqual([
      'auth.token_revoke',
      'auth.token_create',
      'auth.login_failed',
      'auth.login',
      'auth.register',
    ]);
    expect(page.total).toBe(5);
    expect(page.items[0]).toMatchObject({ targetId: created.id, ip: '127.0.0.1' });

    const bobs = await audit(bob.token);
    expect(bobs.items.map((i) => i.action)).toEqual(['auth.login', 'auth.register']);

    const paged = await audit(alice.token, '?page=2&pageSize=2');
    expect(paged).toMatchObject({ page: 2, pageSize: 2, total: 5 });
    expect(paged.items.map((i) => i.action)).toEqual(['auth.login_failed', 'auth.login']);
  });

  it('requires a signed-in caller', async () => {
    const response = await fetch(`${t.baseUrl}/api/audit/`);
    expect(response.status).toBe(401);
  });
});
