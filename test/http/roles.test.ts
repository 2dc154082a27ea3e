import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, call, type LoggedInUser } from '../support/client.js';
import { logIn, signUp } from '../support/factories.js';
import { mailedInvitationToken } from '../support/mail.js';
import { testDialects } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const PASSWORD = 'correct-horse-battery-staple';

const register = (t: TestApp, username: string) =>
  call(t, null, 'POST', '/api/auth/register', {
    username,
    email: `${username}@example.com`,
    password: PASSWORD,
  });

describe.each(testDialects)('registration modes on $name', (dialect) => {
  for (const mode of ['invite', 'closed'] as const) {
    it(`${mode}: only the first account registers, and it becomes admin`, async () => {
      const t = await startTestApp(dialect, {
        REGISTRATION: mode,
        AUTH_RATE_LIMIT_PER_MINUTE: '1000',
      });
      try {
        expect((await call(t, null, 'GET', '/api/auth/config')).body).toEqual({
          registration: mode,
          firstRun: true,
        });
        const first = await register(t, 'founder');
        expect(first.status).toBe(201);
        expect(first.body.user.role).toBe('admin');
        const second = await register(t, 'latecomer');
        expect(second.status).toBe(403);
        expect(second.body.error.code).toBe('REGISTRATION_CLOSED');
        expect((await call(t, null, 'GET', '/api/auth/config')).body).toEqual({
          registration: mode,
          firstRun: false,
        });

        // A case owner invites helpers in invite mode; in closed mode only admins invite.
        const admin = await logIn(t, 'founder');
        await call(t, admin, 'POST', '/api/invitations', { email: 'owner@example.org' });
        const token = await mailedInvitationToken(t.config.DATA_DIR, 'owner@example.org');
        await call(t, null, 'POST', '/api/auth/invitation/accept', {
          token,
          username: 'owner',
          password: PASSWORD,
        });
        const owner = await logIn(t, 'owner');
        const created = await call(t, owner, 'POST', '/api/missing-persons', {
          firstName: 'A',
          lastName: 'B',
        });
        expect(created.status).toBe(201);
        const helper = await call(t, owner, 'POST', '/api/invitations', {
          email: 'helper@example.org',
          role: 'viewer',
        });
        expect(helper.status).toBe(mode === 'invite' ? 201 : 403);
      } finally {
        await t.close();
      }
    });
  }

  it('invite: of many simultaneous first registrations exactly one succeeds, as admin', async () => {
    const t = await startTestApp(dialect, {
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
      REGISTRATION: 'invite',
    });
    try {
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) => register(t, `racer${i}`)),
      );
      const created = answers.filter((a) => a.status === 201);
      expect(created).toHaveLength(1);
      expect(created[0]!.body.user.role).toBe('admin');
      expect(answers.filter((a) => a.status === 403)).toHaveLength(5);
      const users = await t.deps.db.selectFrom('users').select('role').execute();
      expect(users).toEqual([{ role: 'admin' }]);
    } finally {
      await t.close();
    }
  });
});

describe.each(testDialects)('roles and the admin API on $name', (dialect) => {
  let t: TestApp;
  let admin: LoggedInUser;
  let alice: LoggedInUser;

  beforeAll(async () => {
    t = await startTestApp(dialect, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
    admin = await signUp(t.baseUrl, { username: 'root_admin' });
    alice = await signUp(t.baseUrl);
  });
  afterAll(() => t.close());

  it('makes the first account admin and later ones investigators, shown on /api/auth/user', async () => {
    expect((await call(t, admin, 'GET', '/api/auth/user')).body.user.role).toBe('admin');
    expect((await call(t, alice, 'GET', '/api/auth/user')).body.user.role).toBe('investigator');
  });

  it('answers 403 FORBIDDEN to anyone but an admin on every admin endpoint', async () => {
    for (const [method, url] of [
      ['GET', '/api/admin/users'],
      ['PATCH', `/api/admin/users/${admin.user.id}`],
      ['DELETE', `/api/admin/users/${admin.user.id}/sessions`],
      ['GET', '/api/admin/audit'],
      ['GET', '/api/admin/status'],
    ] as const) {
      const answer = await call(
        t,
        alice,
        method,
        url,
        method === 'PATCH' ? { role: 'viewer' } : undefined,
      );
      expect(answer.status, `${method} ${url}`).toBe(403);
      expect(answer.body.error.code).toBe('FORBIDDEN');
    }
    expect((await call(t, admin, 'GET', `/api/auth/user`)).body.user.role).toBe('admin');
  });

  it('lists users with their role, filtered by name, role and status', async () => {
    const all = await call(t, admin, 'GET', '/api/admin/users?pageSize=200');
    expect(all.status).toBe(200);
    expect(all.body.items.map((u) => u.username)).toEqual(
      expect.arrayContaining(['root_admin', alice.user.username]),
    );
    const found = await call(t, admin, 'GET', `/api/admin/users?q=${alice.user.username}`);
    expect(found.body).toMatchObject({
      total: 1,
      items: [{ id: alice.user.id, role: 'investigator', disabledAt: null }],
    });
    expect(found.body.items[0]!.lastSeenAt).toEqual(expect.any(String));
    const admins = await call(t, admin, 'GET', '/api/admin/users?role=admin');
    expect(admins.body.items.map((u) => u.id)).toEqual([admin.user.id]);
  });

  it('disabling signs the user out at once; their login is refused, a wrong password answers as before', async () => {
    const bob = await signUp(t.baseUrl);
    const disabled = await call(t, admin, 'PATCH', `/api/admin/users/${bob.user.id}`, {
      disabled: true,
    });
    expect(disabled.status).toBe(200);
    expect(disabled.body.disabledAt).toEqual(expect.any(String));

    expect((await call(t, bob, 'GET', '/api/auth/user')).status).toBe(401);
    const byCookie = await fetch(`${t.baseUrl}/api/auth/user`, { headers: { cookie: bob.cookie } });
    expect(byCookie.status).toBe(401);

    const login = await call(t, null, 'POST', '/api/auth/login', {
      username: bob.user.username,
      password: PASSWORD,
    });
    expect(login.status).toBe(403);
    expect(login.body.error.code).toBe('ACCOUNT_DISABLED');
    const guess = await call(t, null, 'POST', '/api/auth/login', {
      username: bob.user.username,
      password: 'not-the-password-at-all',
    });
    expect(guess.status).toBe(401);
    expect(guess.body.error.code).toBe('INVALID_CREDENTIALS');

    await call(t, admin, 'PATCH', `/api/admin/users/${bob.user.id}`, { disabled: false });
    const again = await call(t, null, 'POST', '/api/auth/login', {
      username: bob.user.username,
      password: PASSWORD,
    });
    expect(again.status).toBe(200);

    const audit = await call(t, admin, 'GET', '/api/admin/audit?action=admin.');
    expect(audit.body.items.map((e) => e.action)).toEqual(
      expect.arrayContaining(['admin.user.disable', 'admin.user.enable']),
    );
  });

  it('refuses a disabled user even if one of their sessions or tokens was left behind', async () => {
    const carol = await signUp(t.baseUrl);
    await t.deps.db
      .updateTable('users')
      .set({ disabled_at: new Date().toISOString() })
      .where('id', '=', carol.user.id)
      .execute();
    expect((await call(t, carol, 'GET', '/api/auth/user')).status).toBe(401);
    const byCookie = await fetch(`${t.baseUrl}/api/auth/user`, {
      headers: { cookie: carol.cookie },
    });
    expect(byCookie.status).toBe(401);
  });

  it('signs a user out everywhere: sessions and every token end', async () => {
    const dave = await signUp(t.baseUrl);
    const personal = await call(t, dave, 'POST', '/api/auth/tokens', { name: 'script' });
    expect(personal.status).toBe(201);
    const ended = await call(t, admin, 'DELETE', `/api/admin/users/${dave.user.id}/sessions`);
    expect(ended.status).toBe(204);
    expect((await call(t, dave, 'GET', '/api/auth/user')).status).toBe(401);
    const script = await fetch(`${t.baseUrl}/api/auth/user`, {
      headers: bearer(personal.body.token),
    });
    expect(script.status).toBe(401);
    const byCookie = await fetch(`${t.baseUrl}/api/auth/user`, {
      headers: { cookie: dave.cookie },
    });
    expect(byCookie.status).toBe(401);
  });

  it('never leaves the instance without an admin, nor lets an admin disable themselves', async () => {
    const demote = await call(t, admin, 'PATCH', `/api/admin/users/${admin.user.id}`, {
      role: 'investigator',
    });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe('LAST_ADMIN');
    const self = await call(t, admin, 'PATCH', `/api/admin/users/${admin.user.id}`, {
      disabled: true,
    });
    expect(self.status).toBe(409);
    expect(self.body.error.code).toBe('INVALID_STATE');

    const erin = await signUp(t.baseUrl);
    const promoted = await call(t, admin, 'PATCH', `/api/admin/users/${erin.user.id}`, {
      role: 'admin',
    });
    expect(promoted.body.role).toBe('admin');
    expect((await call(t, erin, 'GET', '/api/admin/users')).status).toBe(200);
    const disabledErin = await call(t, admin, 'PATCH', `/api/admin/users/${erin.user.id}`, {
      disabled: true,
    });
    expect(disabledErin.status).toBe(200);
    // Erin is an admin but disabled: the caller is still the last admin able to sign in.
    expect(
      (await call(t, admin, 'PATCH', `/api/admin/users/${admin.user.id}`, { role: 'viewer' })).body
        .error.code,
    ).toBe('LAST_ADMIN');
    expect((await call(t, admin, 'GET', '/api/auth/user')).body.user.role).toBe('admin');
  });

  it("shows admins everyone's audit log and the system status; the dashboard's queue load is theirs only", async () => {
    const audit = await call(t, admin, 'GET', `/api/admin/audit?userId=${alice.user.id}`);
    expect(audit.status).toBe(200);
    expect(audit.body.items.map((e) => e.action)).toEqual(
      expect.arrayContaining(['auth.register', 'auth.login']),
    );
    expect(audit.body.items[0]!.username).toBe(alice.user.username);
    const own = await call(t, alice, 'GET', '/api/audit');
    expect(own.body.items.every((e) => e.action.startsWith('auth.'))).toBe(true);

    const status = await call(t, admin, 'GET', '/api/admin/status');
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ database: dialect.name, registration: 'open' });
    expect(Object.keys((status.body as unknown as { queue: object }).queue)).toEqual(
      expect.arrayContaining(['queued', 'running', 'workers']),
    );
    expect(status.body.users.admin).toBeGreaterThanOrEqual(1);

    expect((await call(t, admin, 'GET', '/api/dashboard/stats')).body.system).toBeDefined();
    expect((await call(t, alice, 'GET', '/api/dashboard/stats')).body.system).toBeUndefined();
  });

  it('lets a viewer read but not open cases, add footage or live feeds, or start searches', async () => {
    const viewer = await signUp(t.baseUrl);
    await call(t, admin, 'PATCH', `/api/admin/users/${viewer.user.id}`, { role: 'viewer' });
    const tries = [
      await call(t, viewer, 'POST', '/api/missing-persons', { firstName: 'A', lastName: 'B' }),
      await call(t, viewer, 'POST', '/api/videos/live', {
        title: 'Gate',
        url: 'rtsp://127.0.0.1:9/gate',
      }),
      await call(t, viewer, 'POST', '/api/videos/live/test', { url: 'rtsp://127.0.0.1:9/gate' }),
      await call(t, viewer, 'POST', '/api/searches', {
        missingPersonId: crypto.randomUUID(),
        videoIds: [crypto.randomUUID()],
      }),
    ];
    const form = new FormData();
    form.append('title', 'clip');
    form.append('file', new Blob([Buffer.alloc(64)]), 'clip.mp4');
    const upload = await fetch(`${t.baseUrl}/api/videos`, {
      method: 'POST',
      headers: bearer(viewer.token),
      body: form,
    });
    expect(upload.status).toBe(403);
    for (const answer of tries) {
      expect(answer.status).toBe(403);
      expect(answer.body.error.code).toBe('FORBIDDEN');
    }
    expect((await call(t, viewer, 'GET', '/api/missing-persons')).status).toBe(200);
    expect((await call(t, viewer, 'GET', '/api/videos')).status).toBe(200);
  });
});
