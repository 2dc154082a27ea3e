import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type LoggedInUser } from '../support/client.js';
import { logIn, signUp } from '../support/factories.js';
import { mailedInvitationToken, mailsTo } from '../support/mail.js';
import { testDialects } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const PASSWORD = 'correct-horse-battery-staple';

describe.each(testDialects)('invitations on $name', (dialect) => {
  let t: TestApp;
  let admin: LoggedInUser;

  /** The token of the `count`th invitation mailed to `address`, checking the mail's wording. */
  async function invitationToken(address: string, count = 1): Promise<string> {
    const mails = await mailsTo(t.config.DATA_DIR, address, count);
    expect(mails[count - 1]).toContain('Subject: You are invited to Missing Person Finder');
    expect(mails[count - 1]).toContain('https://finder.example.org/accept-invitation?token=');
    return mailedInvitationToken(t.config.DATA_DIR, address, count);
  }

  const invite = (by: LoggedInUser, email: string, role: string) =>
    call(t, by, 'POST', '/api/invitations', { email, role });

  beforeAll(async () => {
    t = await startTestApp(dialect, {
      REGISTRATION: 'invite',
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
      PUBLIC_URL: 'https://finder.example.org',
    });
    admin = await signUp(t.baseUrl, { username: 'the_admin' });
  });
  afterAll(() => t.close());

  it('mails a single-use link that creates the account with the invited e-mail and role', async () => {
    const created = await invite(admin, 'Viewer.One@Example.org', 'viewer');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email: 'viewer.one@example.org',
      role: 'viewer',
      status: 'pending',
    });
    expect(JSON.stringify(created.body)).not.toContain('mpi_');

    const token = await invitationToken('viewer.one@example.org');
    const lookup = await call(t, null, 'GET', `/api/auth/invitation?token=${token}`);
    expect(lookup.status).toBe(200);
    expect(lookup.body).toMatchObject({ email: 'viewer.one@example.org', role: 'viewer' });

    const accepted = await call(t, null, 'POST', '/api/auth/invitation/accept', {
      token,
      username: 'viewer_one',
      password: PASSWORD,
    });
    expect(accepted.status).toBe(201);
    expect(accepted.body.user).toMatchObject({
      username: 'viewer_one',
      email: 'viewer.one@example.org',
      role: 'viewer',
    });

    const login = await call(t, null, 'POST', '/api/auth/login', {
      username: 'viewer_one',
      password: PASSWORD,
    });
    expect(login.status).toBe(200);

    const again = await call(t, null, 'POST', '/api/auth/invitation/accept', {
      token,
      username: 'viewer_two',
      password: PASSWORD,
    });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('INVALID_TOKEN');
    expect((await call(t, null, 'GET', `/api/auth/invitation?token=${token}`)).status).toBe(400);

    const list = await call(t, admin, 'GET', '/api/invitations');
    expect(list.body.items.find((i) => i.email === 'viewer.one@example.org')?.status).toBe(
      'accepted',
    );
    const audit = await call(t, admin, 'GET', '/api/admin/audit?action=invitation.');
    expect(audit.body.items.map((e) => e.action)).toEqual(
      expect.arrayContaining(['invitation.create', 'invitation.accept']),
    );
  });

  it('stops working when revoked, replaced by a newer invitation, or expired', async () => {
    await invite(admin, 'late@example.org', 'investigator');
    const first = await invitationToken('late@example.org', 1);
    const second = await invite(admin, 'late@example.org', 'investigator');
    const newer = await invitationToken('late@example.org', 2);
    expect((await call(t, null, 'GET', `/api/auth/invitation?token=${first}`)).status).toBe(400);
    expect((await call(t, null, 'GET', `/api/auth/invitation?token=${newer}`)).status).toBe(200);

    const revoked = await call(t, admin, 'DELETE', `/api/invitations/${second.body.id}`);
    expect(revoked.status).toBe(204);
    const lookup = await call(t, null, 'GET', `/api/auth/invitation?token=${newer}`);
    expect(lookup.body.error.code).toBe('INVALID_TOKEN');
    expect((await call(t, admin, 'DELETE', `/api/invitations/${second.body.id}`)).status).toBe(409);

    const third = await invite(admin, 'late@example.org', 'viewer');
    const expiring = await invitationToken('late@example.org', 3);
    await t.deps.db
      .updateTable('invitations')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', third.body.id)
      .execute();
    const accept = await call(t, null, 'POST', '/api/auth/invitation/accept', {
      token: expiring,
      username: 'too_late',
      password: PASSWORD,
    });
    expect(accept.status).toBe(400);
    const list = await call(t, admin, 'GET', '/api/invitations');
    expect(list.body.items.find((i) => i.id === third.body.id)?.status).toBe('expired');
  });

  it('refuses an address that already has an account', async () => {
    const taken = await invite(admin, admin.user.email, 'viewer');
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('EMAIL_TAKEN');
  });

  it('lets a case owner invite investigators and viewers but not admins; others may not invite', async () => {
    await invite(admin, 'owner@example.org', 'investigator');
    const token = await invitationToken('owner@example.org');
    await call(t, null, 'POST', '/api/auth/invitation/accept', {
      token,
      username: 'case_owner',
      password: PASSWORD,
    });
    const owner = await logIn(t, 'case_owner');

    const noCase = await invite(owner, 'helper@example.org', 'viewer');
    expect(noCase.status).toBe(403);
    expect(noCase.body.error.code).toBe('FORBIDDEN');

    expect(
      (await call(t, owner, 'POST', '/api/missing-persons', { firstName: 'A', lastName: 'B' }))
        .status,
    ).toBe(201);
    const asAdmin = await invite(owner, 'helper@example.org', 'admin');
    expect(asAdmin.status).toBe(403);
    const asViewer = await invite(owner, 'helper@example.org', 'viewer');
    expect(asViewer.status).toBe(201);
    expect(asViewer.body.role).toBe('viewer');

    const own = await call(t, owner, 'GET', '/api/invitations');
    expect(own.body.items.map((i) => i.email)).toEqual(['helper@example.org']);
    const adminsInvitation = (await call(t, admin, 'GET', '/api/invitations')).body.items.find(
      (i) => i.email === 'owner@example.org',
    );
    expect(
      (await call(t, owner, 'DELETE', `/api/invitations/${adminsInvitation!.id}`)).status,
    ).toBe(404);
  });

  it("invites an e-mail with no account from a case's share dialog; accepting joins the case", async () => {
    await invite(admin, 'sharer@example.org', 'investigator');
    await call(t, null, 'POST', '/api/auth/invitation/accept', {
      token: await invitationToken('sharer@example.org'),
      username: 'sharer',
      password: PASSWORD,
    });
    const sharer = await logIn(t, 'sharer');
    const created = await call(t, sharer, 'POST', '/api/missing-persons', {
      firstName: 'Ada',
      lastName: 'Shared',
    });
    const members = `/api/missing-persons/${created.body.id}/members`;

    const shared = await call(t, sharer, 'POST', members, {
      email: 'Family@Example.org',
      role: 'viewer',
    });
    expect(shared.status).toBe(202);
    expect(shared.body).toEqual({ invited: 'family@example.org' });
    const unknownName = await call(t, sharer, 'POST', members, {
      username: 'nobody',
      role: 'viewer',
    });
    expect(unknownName.status).toBe(404);
    expect(unknownName.body.error.code).toBe('USER_NOT_FOUND');
    const mail = (await mailsTo(t.config.DATA_DIR, 'family@example.org'))[0];
    expect(mail).toContain('The case "Ada Shared" is shared with you as viewer.');

    const accepted = await call(t, null, 'POST', '/api/auth/invitation/accept', {
      token: await invitationToken('family@example.org'),
      username: 'family',
      password: PASSWORD,
    });
    expect(accepted.status).toBe(201);
    expect(accepted.body.user.role).toBe('viewer');
    const family = await logIn(t, 'family');
    const seen = await call(t, family, 'GET', `/api/missing-persons/${created.body.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.role).toBe('viewer');
    const edit = await call(t, family, 'PATCH', `/api/missing-persons/${created.body.id}`, {
      status: 'found',
    });
    expect(edit.status).toBe(403);
    // A member who does not own the case cannot invite through it.
    const byMember = await call(t, family, 'POST', members, {
      email: 'x@example.org',
      role: 'viewer',
    });
    expect(byMember.status).toBe(403);

    await call(t, sharer, 'POST', members, { email: 'helper2@example.org', role: 'editor' });
    const editor = await call(t, null, 'POST', '/api/auth/invitation/accept', {
      token: await invitationToken('helper2@example.org'),
      username: 'helper_two',
      password: PASSWORD,
    });
    expect(editor.body.user.role).toBe('investigator');
    const list = await call(t, sharer, 'GET', members);
    expect(list.body.items.map((m) => [m.username, m.role])).toEqual([
      ['sharer', 'owner'],
      ['family', 'viewer'],
      ['helper_two', 'editor'],
    ]);
    const audit = await call(t, admin, 'GET', '/api/admin/audit?action=case.member.add');
    expect(audit.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'case.member.add', targetId: created.body.id }),
      ]),
    );
    expect(audit.body.items).toHaveLength(2);
  });
});
