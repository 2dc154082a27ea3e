import type { Executor } from '../db/database.js';
import type { InvitationRow, InvitationsTable } from '../db/tables/auth.table.js';
import type { NewCaseMember } from '../db/tables/case-member.table.js';

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export interface InvitationWithInviter extends InvitationRow {
  invited_by_username: string | null;
}

export async function insertInvitation(db: Executor, row: InvitationsTable): Promise<void> {
  await db.insertInto('invitations').values(row).execute();
}

function withInviter(db: Executor) {
  return db
    .selectFrom('invitations')
    .leftJoin('users', 'users.id', 'invitations.invited_by')
    .selectAll('invitations')
    .select('users.username as invited_by_username');
}

export async function findInvitation(
  db: Executor,
  id: string,
): Promise<InvitationWithInviter | undefined> {
  return withInviter(db).where('invitations.id', '=', id).executeTakeFirst();
}

/** An invitation that can still be accepted, by the hash of its token. */
export async function findUsableInvitation(
  db: Executor,
  tokenHash: string,
  now: string,
): Promise<InvitationRow | undefined> {
  return db
    .selectFrom('invitations')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/** One page of invitations, newest first: everyone's, or those sent by `invitedBy`. */
export async function listInvitations(
  db: Executor,
  filter: { invitedBy?: string | undefined },
  page: { limit: number; offset: number },
): Promise<{ rows: InvitationWithInviter[]; total: number }> {
  let rows = withInviter(db);
  let count = db.selectFrom('invitations');
  if (filter.invitedBy) {
    rows = rows.where('invitations.invited_by', '=', filter.invitedBy);
    count = count.where('invitations.invited_by', '=', filter.invitedBy);
  }
  const { total } = await count
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  return {
    rows: await rows
      .orderBy('invitations.created_at', 'desc')
      .orderBy('invitations.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    total: Number(total),
  };
}

/** Marks a usable invitation accepted by `userId`; false when it was used, revoked or expired. */
export async function markInvitationAccepted(
  db: Executor,
  id: string,
  userId: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('invitations')
    .set({ accepted_at: at, accepted_user_id: userId })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', at)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * The case membership an accepted share invitation carries. Written here rather than through
 * cases/ (which imports auth/ for its guard and invitations) so that auth/ never imports cases/.
 */
export async function insertInvitedMembership(db: Executor, row: NewCaseMember): Promise<void> {
  await db.insertInto('case_members').values(row).execute();
}

/** Revokes the pending invitations matching `where` (one id, or every one to an e-mail). */
export async function revokePendingInvitations(
  db: Executor,
  where: { id: string } | { email: string },
  at: string,
): Promise<number> {
  let query = db
    .updateTable('invitations')
    .set({ revoked_at: at })
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null);
  query = 'id' in where ? query.where('id', '=', where.id) : query.where('email', '=', where.email);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Whether the user owns at least one case: case owners may invite people to help. */
export async function ownsAnyCase(db: Executor, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('missing_persons')
    .select('id')
    .where('owner_id', '=', userId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export function invitationStatus(row: InvitationRow, now: string): InvitationStatus {
  if (row.accepted_at) return 'accepted';
  if (row.revoked_at) return 'revoked';
  return row.expires_at <= now ? 'expired' : 'pending';
}
