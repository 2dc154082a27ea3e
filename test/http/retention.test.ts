import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobContext } from '../../src/jobs/job.types.js';
import { outboxDir } from '../../src/mail/mailer.js';
import { makeRetentionHandler, retentionJobKey } from '../../src/retention/retention.job.js';
import { runRetention } from '../../src/retention/retention.service.js';
import { json, send, type LoggedInUser } from '../support/client.js';
import { signUp } from '../support/factories.js';
import { testDialects } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface CaseBody {
  id: string;
  status: string;
  closedAt: string | null;
  retentionDays: number | null;
  effectiveRetentionDays: number;
  deleteAfter: string | null;
  legalHold: { reason: string; placedAt: string; placedBy: string | null } | null;
}

const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();

describe.each(testDialects)('retention and secure deletion on $name', (dialect) => {
  let t: TestApp;
  let owner: LoggedInUser;
  let editor: LoggedInUser;
  let viewer: LoggedInUser;
  let stranger: LoggedInUser;

  beforeAll(async () => {
    t = await startTestApp(dialect, { AUTH_RATE_LIMIT_PER_MINUTE: '1000', RETENTION_DAYS: '30' });
    [owner, editor, viewer, stranger] = [
      await signUp(t.baseUrl),
      await signUp(t.baseUrl),
      await signUp(t.baseUrl),
      await signUp(t.baseUrl),
    ];
  });
  afterAll(() => t.close());

  const db = () => t.deps.db;
  const call = (user: LoggedInUser, method: string, url: string, body?: unknown) =>
    send(t.baseUrl, user, method, `/api/missing-persons${url}`, body);

  async function openCase(user: LoggedInUser, firstName = 'Retention'): Promise<string> {
    return (
      await json<CaseBody>(await call(user, 'POST', '', { firstName, lastName: 'Case' }), 201)
    ).id;
  }

  /** A case closed `closedDaysAgo` days ago (set in the database: the clock of the purge). */
  async function closedCase(closedDaysAgo: number, columns: Record<string, unknown> = {}) {
    const id = await openCase(owner, 'Purgeable');
    await db()
      .updateTable('missing_persons')
      .set({ status: 'closed', closed_at: daysAgo(closedDaysAgo), ...columns })
      .where('id', '=', id)
      .execute();
    return id;
  }

  const caseExists = async (id: string) =>
    (await db().selectFrom('missing_persons').select('id').where('id', '=', id).execute())
      .length === 1;
  const keyExists = async (caseId: string) =>
    (
      await db()
        .selectFrom('data_keys')
        .select('scope')
        .where('scope', '=', `case:${caseId}`)
        .execute()
    ).length === 1;
  const auditOf = (targetId: string) =>
    db()
      .selectFrom('audit_logs')
      .select(['action', 'description', 'user_id'])
      .where('target_id', '=', targetId)
      .orderBy('created_at')
      .execute();

  async function insertVideo(ownerId: string, createdAt = new Date().toISOString()) {
    const id = crypto.randomUUID();
    await db()
      .insertInto('videos')
      .values({
        id,
        owner_id: ownerId,
        title: 'Camera 2',
        description: null,
        kind: 'upload',
        storage_key: `users/${ownerId}/videos/${id}/original.mp4`,
        source_url: null,
        original_name: null,
        mime_type: 'video/mp4',
        duration_ms: 1000,
        fps: 25,
        width: 64,
        height: 64,
        codec: 'h264',
        rotation: 0,
        size_bytes: 5,
        checksum: crypto.randomUUID(),
        status: 'ready',
        error_code: null,
        error_message: null,
        poster_key: null,
        playback_key: null,
        playback_status: 'none',
        playback_progress: null,
        created_at: createdAt,
        updated_at: createdAt,
      })
      .execute();
    await t.deps.storage.put(`users/${ownerId}/videos/${id}/original.mp4`, Buffer.from('video'));
    return id;
  }

  /** A finished search of the case over `videoId`, with a stored frame; returns its frame key. */
  async function finishedSearch(caseId: string, ownerId: string, videoId?: string) {
    const id = crypto.randomUUID();
    const now = new Date().toISOString();
    await db()
      .insertInto('searches')
      .values({
        id,
        owner_id: ownerId,
        missing_person_id: caseId,
        status: 'completed',
        preset: 'balanced',
        sampled_fps: 2,
        threshold: 0.6,
        priority: 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
    if (videoId) {
      await db()
        .insertInto('search_videos')
        .values({
          id: crypto.randomUUID(),
          search_id: id,
          video_id: videoId,
          status: 'completed',
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    const frameKey = `users/${ownerId}/searches/${id}/frames/${crypto.randomUUID()}.jpg`;
    await t.deps.storage.put(frameKey, Buffer.from('frame'));
    return frameKey;
  }

  const stored = async (key: string) => (await t.deps.storage.stat(key)) !== undefined;

  it('lets owners and editors close, reopen, set the retention and place or lift a legal hold', async () => {
    const id = await openCase(owner);
    for (const [user, role] of [
      [editor, 'editor'],
      [viewer, 'viewer'],
    ] as const) {
      const shared = await call(owner, 'POST', `/${id}/members`, {
        username: user.user.username,
        role,
      });
      expect(shared.status).toBeLessThan(300);
    }

    const closed = await json<CaseBody>(
      await call(editor, 'PUT', `/${id}/status`, { status: 'closed' }),
      200,
    );
    expect(closed.closedAt).not.toBeNull();
    expect(closed.effectiveRetentionDays).toBe(30);
    expect(Date.parse(closed.deleteAfter ?? '')).toBe(
      Date.parse(closed.closedAt ?? '') + 30 * DAY_MS,
    );

    const shorter = await json<CaseBody>(
      await call(owner, 'PUT', `/${id}/retention`, { retentionDays: 7 }),
      200,
    );
    expect(shorter).toMatchObject({ retentionDays: 7, effectiveRetentionDays: 7 });
    expect(Date.parse(shorter.deleteAfter ?? '')).toBe(
      Date.parse(closed.closedAt ?? '') + 7 * DAY_MS,
    );

    const held = await json<CaseBody>(
      await call(editor, 'PUT', `/${id}/legal-hold`, { reason: 'Court order 118' }),
      200,
    );
    expect(held.legalHold).toMatchObject({ reason: 'Court order 118', placedBy: editor.user.id });
    expect(held.deleteAfter).toBeNull();

    const lifted = await json<CaseBody>(await call(owner, 'DELETE', `/${id}/legal-hold`), 200);
    expect(lifted.legalHold).toBeNull();
    expect(lifted.deleteAfter).not.toBeNull();
    const again = await call(owner, 'DELETE', `/${id}/legal-hold`);
    expect(again.status).toBe(409);

    const reopened = await json<CaseBody>(
      await call(owner, 'PUT', `/${id}/status`, { status: 'missing' }),
      200,
    );
    expect(reopened).toMatchObject({ status: 'missing', closedAt: null, deleteAfter: null });
    const found = await json<CaseBody>(
      await call(owner, 'PATCH', `/${id}`, { status: 'found' }),
      200,
    );
    expect(found.closedAt).not.toBeNull();

    expect((await auditOf(id)).map((row) => row.action)).toEqual(
      expect.arrayContaining([
        'case.status',
        'case.retention',
        'case.legal_hold.place',
        'case.legal_hold.lift',
      ]),
    );
  });

  it('refuses lifecycle changes to a viewer (403) and hides the case from a non-member (404)', async () => {
    const id = await openCase(owner);
    await call(owner, 'POST', `/${id}/members`, { username: viewer.user.username, role: 'viewer' });
    const attempts = [
      ['PUT', `/${id}/status`, { status: 'closed' }],
      ['PUT', `/${id}/retention`, { retentionDays: 1 }],
      ['PUT', `/${id}/legal-hold`, { reason: 'No reason' }],
      ['DELETE', `/${id}/legal-hold`, undefined],
    ] as const;
    for (const [method, url, body] of attempts) {
      expect((await call(viewer, method, url, body)).status, `${method} ${url}`).toBe(403);
      expect((await call(stranger, method, url, body)).status, `${method} ${url}`).toBe(404);
    }
    expect(await json<CaseBody>(await call(owner, 'GET', `/${id}`), 200)).toMatchObject({
      status: 'missing',
      legalHold: null,
    });
  });

  it('deleting a case leaves nothing readable: its files and its data key are gone', async () => {
    const id = await openCase(owner, 'Forgettable');
    const photoKey = `users/${owner.user.id}/cases/${id}/photos/${crypto.randomUUID()}.jpg`;
    await t.deps.storage.put(photoKey, Buffer.from('photo'));
    const frameKey = await finishedSearch(id, editor.user.id);
    expect(await keyExists(id)).toBe(true);

    expect((await call(owner, 'DELETE', `/${id}`)).status).toBe(204);
    expect(await stored(photoKey)).toBe(false);
    expect(await stored(frameKey)).toBe(false);
    expect(await keyExists(id)).toBe(false);
    const audit = await auditOf(id);
    expect(audit.map((row) => row.action)).toEqual(['case.create', 'case.delete']);
    expect(JSON.stringify(audit)).not.toContain('Forgettable');
  });

  it('purges a closed case past its retention, and keeps one on hold, one not yet due and one kept longer', async () => {
    const due = await closedCase(40);
    const held = await closedCase(40, {
      legal_hold: 1,
      legal_hold_at: daysAgo(1),
      legal_hold_reason: 'Inquiry',
    });
    const fresh = await closedCase(5);
    const longer = await closedCase(40, { retention_days: 100 });
    const open = await openCase(owner);
    const photoKey = `users/${owner.user.id}/cases/${due}/photos/${crypto.randomUUID()}.jpg`;
    await t.deps.storage.put(photoKey, Buffer.from('photo'));
    const usedOnlyByDue = await insertVideo(owner.user.id);
    const frameKey = await finishedSearch(due, owner.user.id, usedOnlyByDue);
    const alsoUsedByOpen = await insertVideo(owner.user.id);
    await finishedSearch(due, owner.user.id, alsoUsedByOpen);
    await finishedSearch(open, owner.user.id, alsoUsedByOpen);

    const report = await runRetention(t.deps);
    expect(report).toMatchObject({ status: 'done', busyCases: 0 });
    expect(report.status === 'done' && report.purged.cases).toBe(1);

    expect(await caseExists(due)).toBe(false);
    expect(await keyExists(due)).toBe(false);
    expect(await stored(photoKey)).toBe(false);
    expect(await stored(frameKey)).toBe(false);
    for (const kept of [held, fresh, longer, open]) expect(await caseExists(kept)).toBe(true);
    const videos = await db().selectFrom('videos').select('id').execute();
    expect(videos.map((row) => row.id)).not.toContain(usedOnlyByDue);
    expect(videos.map((row) => row.id)).toContain(alsoUsedByOpen);

    const [purgeRow] = await auditOf(due).then((rows) =>
      rows.filter((row) => row.action === 'retention.purge'),
    );
    expect(purgeRow?.user_id).toBeNull();
    expect(purgeRow?.description).toMatch(/closed case 40 day\(s\) after closing.*RETENTION_DAYS/);
    expect(purgeRow?.description).not.toContain('Purgeable');
  });

  it('purges library footage of an owner with no open case once older than RETENTION_DAYS', async () => {
    const idle = await signUp(t.baseUrl);
    const busy = await signUp(t.baseUrl);
    await openCase(busy);
    const idleOld = await insertVideo(idle.user.id, daysAgo(31));
    const idleNew = await insertVideo(idle.user.id, daysAgo(2));
    const busyOld = await insertVideo(busy.user.id, daysAgo(31));

    const report = await runRetention(t.deps);
    expect(report.status === 'done' && report.purged.videos).toBe(1);
    const left = (await db().selectFrom('videos').select('id').execute()).map((row) => row.id);
    expect(left).not.toContain(idleOld);
    expect(left).toEqual(expect.arrayContaining([idleNew, busyOld]));
    expect(await stored(`users/${idle.user.id}/videos/${idleOld}/original.mp4`)).toBe(false);
  });

  it('purges dead sessions, tokens, links, outbox mails and old audit rows, auditing each kind', async () => {
    const user = await signUp(t.baseUrl);
    const uid = user.user.id;
    const row = { user_id: uid, created_at: daysAgo(10) };
    const session = { ...row, csrf_token: 'c', ip: null, user_agent: null };
    await db()
      .insertInto('sessions')
      .values([
        { ...session, id: `s1-${uid}`, last_seen_at: daysAgo(3), expires_at: daysAgo(2) },
        { ...session, id: `s2-${uid}`, last_seen_at: daysAgo(0.001), expires_at: daysAgo(-1) },
      ])
      .execute();
    await db()
      .insertInto('api_tokens')
      .values({
        ...row,
        id: `t1-${uid}`,
        name: 'old',
        token_hash: `h1-${uid}`,
        last_used_at: null,
        revoked_at: daysAgo(2),
        session_id: null,
        expires_at: null,
      })
      .execute();
    await db()
      .insertInto('password_resets')
      .values([
        { ...row, id: `r1-${uid}`, token_hash: `r1-${uid}`, expires_at: daysAgo(2), used_at: null },
        {
          ...row,
          id: `r2-${uid}`,
          token_hash: `r2-${uid}`,
          expires_at: daysAgo(0.1),
          used_at: null,
        },
      ])
      .execute();
    const oldAudit = crypto.randomUUID();
    await db()
      .insertInto('audit_logs')
      .values({
        id: oldAudit,
        user_id: uid,
        action: 'auth.login',
        target_type: null,
        target_id: null,
        description: null,
        ip: null,
        created_at: daysAgo(400),
      })
      .execute();
    mkdirSync(outboxDir(t.config), { recursive: true });
    const oldMail = path.join(outboxDir(t.config), 'old.eml');
    writeFileSync(oldMail, 'Subject: reset');
    utimesSync(oldMail, new Date(daysAgo(30)), new Date(daysAgo(30)));

    const report = await runRetention(t.deps);
    expect(report.status).toBe('done');
    if (report.status !== 'done') return;
    expect(report.purged).toMatchObject({ sessions: 1, apiTokens: 1, passwordResets: 1 });
    expect(report.purged.auditLogs).toBeGreaterThanOrEqual(1);
    expect(report.purged.outboxMails).toBeGreaterThanOrEqual(1);
    expect(report.compacted).toBe(dialect.name === 'sqlite');

    const ids = async (table: 'sessions' | 'password_resets') =>
      (await db().selectFrom(table).select('id').where('user_id', '=', uid).execute()).map(
        (r) => r.id,
      );
    expect(await ids('sessions')).toContain(`s2-${uid}`);
    expect(await ids('sessions')).not.toContain(`s1-${uid}`);
    expect(await ids('password_resets')).toEqual([`r2-${uid}`]);
    expect(
      await db().selectFrom('audit_logs').select('id').where('id', '=', oldAudit).execute(),
    ).toEqual([]);
    // The signed-in user is still signed in.
    expect((await call(user, 'GET', '')).status).toBe(200);

    const purges = await db()
      .selectFrom('audit_logs')
      .select(['target_type', 'description'])
      .where('action', '=', 'retention.purge')
      .execute();
    const kinds = purges.map((p) => p.target_type);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'sessions',
        'apiTokens',
        'passwordResets',
        'auditLogs',
        'outboxMails',
      ]),
    );
    expect(purges.find((p) => p.target_type === 'sessions')?.description).toMatch(
      /^Purged 1 session/,
    );
  });

  it('lets one run purge at a time, and a second run finds nothing more to purge', async () => {
    await closedCase(60);
    const [first, second] = await Promise.all([runRetention(t.deps), runRetention(t.deps)]);
    expect([first.status, second.status].sort()).toEqual(['busy', 'done']);
    const rerun = await runRetention(t.deps);
    expect(rerun.status === 'done' && Object.values(rerun.purged).every((n) => n === 0)).toBe(true);
  });

  it('the daily job queues the next day’s run and purges', async () => {
    await closedCase(60);
    const handler = makeRetentionHandler(t.deps);
    const job = { id: 'j', name: 'maintenance.retention', payload: { scheduledFor: '' } };
    const result = await handler(job as unknown as JobContext<'maintenance.retention'>);
    expect(result).toEqual({ status: 'success' });
    const tomorrow = new Date(Date.now() + DAY_MS);
    const queued = await db()
      .selectFrom('jobs')
      .select(['name', 'status', 'run_at'])
      .where('dedupe_key', '=', retentionJobKey(tomorrow))
      .execute();
    expect(queued).toMatchObject([{ name: 'maintenance.retention', status: 'queued' }]);
  });
});
