import type { FastifyBaseLogger } from 'fastify';
import { recordAudit } from '../audit/audit.service.js';
import type { AuthUser } from '../auth/auth.guard.js';
import { createInvitation, type InvitationDeps } from '../auth/invitation.service.js';
import { findUserByEmail, findUserByUsername } from '../auth/account.service.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Db } from '../db/database.js';
import { AppError, notFound } from '../shared/app-error.js';
import { nowIso } from '../shared/clock.js';
import { findCaseRole } from './case-access.repository.js';
import {
  deleteMember,
  insertMember,
  listMembers,
  updateMemberRole,
  type MemberWithUser,
} from './case-member.repository.js';
import type { AddMemberInput } from './case-member.schema.js';
import type { MemberView } from '../contracts/case.contract.js';
import type { CaseRole } from '../db/tables/case-member.table.js';
import { requireCase, type Actor } from './case.service.js';
import { personName } from './case.sealing.js';

const toView = (row: MemberWithUser, showEmail: boolean): MemberView => ({
  userId: row.user_id,
  username: row.username,
  displayName: row.display_name,
  email: showEmail ? row.email : null,
  role: row.role,
  addedBy: row.added_by,
  createdAt: row.created_at,
});

/** Who has access to the case; every member may see it, only the owner sees e-mail addresses. */
export async function getMembers(db: Db, userId: string, missingPersonId: string) {
  const { role } = await requireCase(db, userId, missingPersonId, 'read');
  const rows = await listMembers(db, missingPersonId);
  return { items: rows.map((row) => toView(row, role === 'owner')) };
}

async function memberView(db: Db, missingPersonId: string, userId: string): Promise<MemberView> {
  const row = (await listMembers(db, missingPersonId)).find((member) => member.user_id === userId);
  if (!row) throw notFound('Member');
  return toView(row, true);
}

/**
 * Shares the case with an existing account (by username or e-mail) as editor or viewer, or
 * changes the role of someone it is already shared with. Owner only; every change is audited.
 * Answers whether a member was added (rather than changed).
 */
export async function addMember(
  db: Db,
  actor: Actor,
  missingPersonId: string,
  input: AddMemberInput,
): Promise<{ member: MemberView; added: boolean }> {
  const outcome = await db.transaction().execute(async (trx) => {
    await requireCase(trx, actor.userId, missingPersonId, 'manage');
    const user = input.email
      ? await findUserByEmail(trx, input.email)
      : await findUserByUsername(trx, input.username ?? '');
    if (!user) {
      throw new AppError('USER_NOT_FOUND', 'No account has this username or e-mail address');
    }
    const current = await findCaseRole(trx, user.id, missingPersonId);
    if (current === 'owner') {
      throw new AppError('INVALID_STATE', 'The owner of a case cannot be given another role');
    }
    if (current === input.role) return { userId: user.id, added: false };
    const now = nowIso();
    if (current) {
      await updateMemberRole(trx, missingPersonId, user.id, input.role, now);
    } else {
      await insertMember(trx, {
        missing_person_id: missingPersonId,
        user_id: user.id,
        role: input.role,
        added_by: actor.userId,
        created_at: now,
        updated_at: now,
      });
    }
    await recordAudit(trx, {
      userId: actor.userId,
      action: current ? 'case.member.role' : 'case.member.add',
      targetType: 'missing_person',
      targetId: missingPersonId,
      description: current
        ? `Made ${user.username} (${user.id}) ${input.role} instead of ${current} of case ${missingPersonId}`
        : `Shared case ${missingPersonId} with ${user.username} (${user.id}) as ${input.role}`,
      ip: actor.ip,
    });
    return { userId: user.id, added: current === undefined };
  });
  return {
    member: await memberView(db, missingPersonId, outcome.userId),
    added: outcome.added,
  };
}

/** Sharing with an e-mail that has no account invites it (stored and mailed). */
export type ShareDeps = InvitationDeps & { fields: FieldCipher };

/**
 * The share dialog's "add": an existing account becomes a member (see `addMember`); an e-mail
 * address with no account is invited instead, and accepting the invitation adds the new account
 * with the chosen role. The account's own role follows the case role: a case viewer gets a
 * `viewer` account, a case editor an `investigator` one (an editor starts searches, which a
 * viewer account may not). Who may invite is the invitation rule (REGISTRATION=closed: admins).
 */
export async function shareCase(
  deps: ShareDeps,
  sharer: AuthUser,
  context: { ip: string; userAgent: string | null; log: FastifyBaseLogger },
  missingPersonId: string,
  input: AddMemberInput,
): Promise<{ member: MemberView; added: boolean } | { invited: string }> {
  const actor = { userId: sharer.id, ip: context.ip };
  if (!input.email || (await findUserByEmail(deps.db, input.email))) {
    return addMember(deps.db, actor, missingPersonId, input);
  }
  const { row } = await requireCase(deps.db, sharer.id, missingPersonId, 'manage');
  await createInvitation(
    deps,
    sharer,
    {
      email: input.email,
      role: input.role === 'editor' ? 'investigator' : 'viewer',
      invitedCase: {
        id: missingPersonId,
        role: input.role,
        name: await personName(deps.fields, missingPersonId, row),
      },
    },
    context,
    context.log,
  );
  return { invited: input.email };
}

/**
 * Revokes a member's access at once. The owner removes anyone but themself; any other member
 * may remove themself (leave the case). Audited.
 */
export async function removeMember(
  db: Db,
  actor: Actor,
  missingPersonId: string,
  userId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const leaving = userId === actor.userId;
    await requireCase(trx, actor.userId, missingPersonId, leaving ? 'read' : 'manage');
    const role: CaseRole | undefined = await findCaseRole(trx, userId, missingPersonId);
    if (!role) throw notFound('Member');
    if (role === 'owner') {
      throw new AppError('INVALID_STATE', 'The owner cannot leave the case; delete it instead');
    }
    await deleteMember(trx, missingPersonId, userId);
    await recordAudit(trx, {
      userId: actor.userId,
      action: leaving ? 'case.member.leave' : 'case.member.remove',
      targetType: 'missing_person',
      targetId: missingPersonId,
      description: leaving
        ? `Left case ${missingPersonId} (was ${role})`
        : `Revoked the ${role} access of user ${userId} to case ${missingPersonId}`,
      ip: actor.ip,
    });
  });
}
