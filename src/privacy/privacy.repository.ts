import type { Executor } from '../db/database.js';
import type { CaseRole } from '../db/tables/case-member.table.js';
import { liveDb } from '../db/tables/live.table.js';

/*
 * What the product holds about one user, read for their export, and the account-level rows their
 * deletion removes. Cases, footage and searches are deleted through their own services.
 */

/** The user's logins: when and from where, never the session id (a hash of the cookie). */
export const listSessionsOf = (db: Executor, userId: string) =>
  db
    .selectFrom('sessions')
    .select(['ip', 'user_agent', 'created_at', 'last_seen_at', 'expires_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();

/** The user's API tokens by name and dates; never their hashes. */
export const listTokensOf = (db: Executor, userId: string) =>
  db
    .selectFrom('api_tokens')
    .select(['name', 'created_at', 'last_used_at', 'revoked_at', 'expires_at', 'session_id'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();

export const listEmailConfirmationsOf = (db: Executor, userId: string) =>
  db
    .selectFrom('email_confirmations')
    .select(['email', 'purpose', 'created_at', 'expires_at', 'used_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();

export const listAlertRecipientsOf = (db: Executor, userId: string) =>
  db
    .selectFrom('alert_recipients')
    .select(['email', 'confirmed_at'])
    .where('user_id', '=', userId)
    .orderBy('confirmed_at')
    .execute();

export const listInvitationsBy = (db: Executor, userId: string) =>
  db
    .selectFrom('invitations')
    .select(['email', 'role', 'case_id', 'case_role', 'created_at', 'expires_at'])
    .select(['accepted_at', 'revoked_at'])
    .where('invited_by', '=', userId)
    .orderBy('created_at')
    .execute();

export const listOwnedCases = (db: Executor, userId: string) =>
  db
    .selectFrom('missing_persons')
    .selectAll()
    .where('owner_id', '=', userId)
    .orderBy('created_at')
    .execute();

export const listPhotosOfCases = (db: Executor, caseIds: string[]) =>
  caseIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('person_photos')
        .selectAll()
        .where('missing_person_id', 'in', caseIds)
        .orderBy('created_at')
        .execute();

export const listEmbeddingsOfCases = (db: Executor, caseIds: string[]) =>
  caseIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('facial_embeddings')
        .selectAll()
        .where('missing_person_id', 'in', caseIds)
        .orderBy('created_at')
        .execute();

/** The user's memberships in cases others own: the case's name and the user's role. */
export const listMembershipsInOthersCases = (db: Executor, userId: string) =>
  db
    .selectFrom('case_members')
    .innerJoin('missing_persons', 'missing_persons.id', 'case_members.missing_person_id')
    .select(['missing_persons.id', 'missing_persons.first_name', 'missing_persons.last_name'])
    .select(['case_members.role', 'case_members.created_at'])
    .where('case_members.user_id', '=', userId)
    .where('missing_persons.owner_id', '!=', userId)
    .orderBy('case_members.created_at')
    .execute();

export const listVideosOf = (db: Executor, userId: string) =>
  db
    .selectFrom('videos')
    .selectAll()
    .where('owner_id', '=', userId)
    .orderBy('created_at')
    .execute();

/** The user's searches with their alert settings (the webhook's signing secret left out). */
export const listSearchesOf = (db: Executor, userId: string) =>
  liveDb(db)
    .selectFrom('searches')
    .select(['id', 'missing_person_id', 'status', 'preset', 'sampled_fps', 'threshold'])
    .select(['priority', 'started_at', 'finished_at', 'created_at', 'updated_at'])
    .select(['alert_webhook_url', 'alert_email', 'ends_at'])
    .where('owner_id', '=', userId)
    .orderBy('created_at')
    .execute();

export const listSearchVideosOf = (db: Executor, searchId: string) =>
  db
    .selectFrom('search_videos')
    .select(['id', 'video_id', 'status', 'processed_ms', 'duration_ms', 'frames_analysed'])
    .select(['error_code', 'started_at', 'finished_at'])
    .where('search_id', '=', searchId)
    .execute();

export const listAppearancesOf = (db: Executor, searchId: string) =>
  db
    .selectFrom('appearances')
    .selectAll()
    .where('search_id', '=', searchId)
    .orderBy('start_ms')
    .execute();

export const listDetectionsOf = (db: Executor, searchId: string) =>
  db
    .selectFrom('detections')
    .selectAll()
    .where('search_id', '=', searchId)
    .orderBy('time_ms')
    .execute();

export const listAuditOf = (db: Executor, userId: string) =>
  db
    .selectFrom('audit_logs')
    .select(['id', 'action', 'target_type', 'target_id', 'description', 'ip', 'created_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();

/** Administrators other than `userId` who can still sign in. */
export async function countOtherActiveAdmins(db: Executor, userId: string): Promise<number> {
  const { count } = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .where('id', '!=', userId)
    .executeTakeFirstOrThrow();
  return Number(count);
}

/** The other members of a case, the one who should inherit it first (oldest editor, else oldest). */
export async function findHeir(
  db: Executor,
  caseId: string,
  userId: string,
): Promise<{ user_id: string; role: CaseRole } | undefined> {
  const members = await db
    .selectFrom('case_members')
    .select(['user_id', 'role', 'created_at'])
    .where('missing_person_id', '=', caseId)
    .where('user_id', '!=', userId)
    .orderBy('created_at')
    .orderBy('user_id')
    .execute();
  return members.find((member) => member.role === 'editor') ?? members[0];
}

/** Makes `heirId` the owner of the case (and of its photos' rows) and drops the old owner. */
export async function transferCase(
  db: Executor,
  caseId: string,
  fromId: string,
  heirId: string,
  now: string,
): Promise<void> {
  await db
    .updateTable('missing_persons')
    .set({ owner_id: heirId, updated_at: now })
    .where('id', '=', caseId)
    .execute();
  await db
    .updateTable('person_photos')
    .set({ owner_id: heirId })
    .where('missing_person_id', '=', caseId)
    .execute();
  await db
    .updateTable('case_members')
    .set({ role: 'owner', updated_at: now })
    .where('missing_person_id', '=', caseId)
    .where('user_id', '=', heirId)
    .execute();
  await db
    .deleteFrom('case_members')
    .where('missing_person_id', '=', caseId)
    .where('user_id', '=', fromId)
    .execute();
}

/** Active searches that read the user's cases or footage, or that the user started. */
export async function findActiveSearchesTouching(
  db: Executor,
  userId: string,
  caseIds: string[],
): Promise<string[]> {
  const rows = await db
    .selectFrom('searches')
    .select('searches.id')
    .where('searches.status', 'in', ['queued', 'running', 'paused'])
    .where((eb) =>
      eb.or([
        eb('searches.owner_id', '=', userId),
        ...(caseIds.length > 0 ? [eb('searches.missing_person_id', 'in', caseIds)] : []),
        eb.exists(
          eb
            .selectFrom('search_videos')
            .innerJoin('videos', 'videos.id', 'search_videos.video_id')
            .select('search_videos.id')
            .whereRef('search_videos.search_id', '=', 'searches.id')
            .where('videos.owner_id', '=', userId),
        ),
      ]),
    )
    .execute();
  return rows.map((row) => row.id);
}

export async function findSearchIdsOf(db: Executor, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('searches')
    .select('id')
    .where('owner_id', '=', userId)
    .execute();
  return rows.map((row) => row.id);
}

/** Every account-level row of the user, then the user; audit rows were pseudonymised before. */
export async function deleteAccountRows(
  db: Executor,
  user: { id: string; username: string; email: string },
): Promise<void> {
  const { id } = user;
  await db.deleteFrom('sessions').where('user_id', '=', id).execute();
  await db.deleteFrom('api_tokens').where('user_id', '=', id).execute();
  await db.deleteFrom('password_resets').where('user_id', '=', id).execute();
  await db.deleteFrom('email_confirmations').where('user_id', '=', id).execute();
  await db.deleteFrom('alert_recipients').where('user_id', '=', id).execute();
  await db.deleteFrom('case_members').where('user_id', '=', id).execute();
  await db
    .deleteFrom('invitations')
    .where((eb) =>
      eb.or([
        eb('invited_by', '=', id),
        eb('accepted_user_id', '=', id),
        eb('email', '=', user.email.toLowerCase()),
      ]),
    )
    .execute();
  await db
    .deleteFrom('login_failures')
    .where('account', 'in', [user.username.toLowerCase(), user.email.toLowerCase()])
    .execute();
  await db.deleteFrom('users').where('id', '=', id).execute();
}

/**
 * Removes the user from the audit trail without removing the trail: their rows lose the user id,
 * the address and the description (which may name people) and carry `pseudonym` instead; rows of
 * others about them (an admin changing their role) name them by the pseudonym too.
 */
export async function pseudonymiseAudit(
  db: Executor,
  userId: string,
  pseudonym: string,
): Promise<void> {
  await db
    .updateTable('audit_logs')
    .set({ user_id: null, actor_pseudonym: pseudonym, ip: null, description: null })
    .where('user_id', '=', userId)
    .execute();
  await db
    .updateTable('audit_logs')
    .set({ target_id: pseudonym })
    .where('target_id', '=', userId)
    .execute();
}

/** Audit rows of others whose description contains one of `needles` (case-insensitive). */
export const findAuditMentioning = (db: Executor, needles: string[]) =>
  db
    .selectFrom('audit_logs')
    .select(['id', 'description'])
    .where((eb) =>
      eb.or(needles.map((needle) => eb(eb.fn('lower', ['description']), 'like', `%${needle}%`))),
    )
    .execute();

export async function setAuditDescription(
  db: Executor,
  id: string,
  description: string,
): Promise<void> {
  await db.updateTable('audit_logs').set({ description }).where('id', '=', id).execute();
}
