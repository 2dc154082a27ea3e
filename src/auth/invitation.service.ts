import type { FastifyBaseLogger } from 'fastify';
import { recordAudit } from '../audit/audit.service.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { Mailer } from '../mail/mailer.js';
import { AppError, notFound } from '../shared/app-error.js';
import { isoAfter, newId, nowIso } from '../shared/clock.js';
import { insertAccount } from './account.service.js';
import type { AuthUser } from './auth.guard.js';
import {
  assertFree,
  conflictFrom,
  toPublicUser,
  type PublicUser,
  type RequestContext,
} from './auth.service.js';
import { hashSecret, newSecret } from './auth.secrets.js';
import type { UserRole } from '../db/tables/auth.table.js';
import {
  findInvitation,
  findUsableInvitation,
  insertInvitation,
  insertInvitedMembership,
  invitationStatus,
  listInvitations,
  markInvitationAccepted,
  ownsAnyCase,
  revokePendingInvitations,
  type InvitationWithInviter,
} from './invitation.repository.js';
import type { Invitation } from './invitation.schema.js';
import { hashPassword } from './password.hashing.js';
import { assertStrongPassword } from './password.policy.js';
import { isAdmin } from './role.policy.js';

/** Invitations are stored, mailed, and accepted into a new account. */
export interface InvitationDeps {
  db: Db;
  config: Config;
  mailer: Mailer;
}

/** Roles a case owner who is not an admin may hand out: never admin. */
const CASE_OWNER_ROLES: readonly UserRole[] = ['investigator', 'viewer'];

const toInvitation = (row: InvitationWithInviter, now = nowIso()): Invitation => ({
  id: row.id,
  email: row.email,
  role: row.role,
  status: invitationStatus(row, now),
  invitedBy: row.invited_by_username,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  acceptedAt: row.accepted_at,
});

function invitationLink(config: Config, token: string): string {
  const url = new URL('/accept-invitation', config.PUBLIC_URL ?? `http://localhost:${config.PORT}`);
  url.searchParams.set('token', token);
  return url.toString();
}

/** A case the invitation shares: its id, the role on it, and its name for the mail. */
export interface InvitedCase {
  id: string;
  role: 'editor' | 'viewer';
  name: string;
}

function invitationMail(
  config: Config,
  inviter: AuthUser,
  role: UserRole,
  link: string,
  invitedCase?: InvitedCase,
) {
  const text = [
    'Hello,',
    '',
    `${inviter.username} invites you to join Missing Person Finder as ${role === 'admin' ? 'an' : 'a'} ${role}.`,
    ...(invitedCase
      ? [`The case "${invitedCase.name}" is shared with you as ${invitedCase.role}.`]
      : []),
    `Open this link within ${config.INVITATION_DAYS} days to choose a username and password. It works once:`,
    '',
    link,
    '',
    'If you do not know why you received this, ignore this message.',
  ].join('\n');
  return { subject: 'You are invited to Missing Person Finder', text };
}

/**
 * Admins invite with any role. Unless REGISTRATION is closed, an investigator who owns a case
 * invites helpers too, never admins.
 */
async function assertMayInvite(
  deps: InvitationDeps,
  inviter: AuthUser,
  role: UserRole,
): Promise<void> {
  if (isAdmin(inviter)) return;
  if (deps.config.REGISTRATION === 'closed') {
    throw new AppError('FORBIDDEN', 'On this server only administrators invite people');
  }
  const caseOwner = inviter.role === 'investigator' && (await ownsAnyCase(deps.db, inviter.id));
  if (!caseOwner) {
    throw new AppError('FORBIDDEN', 'Only administrators and case owners can invite people');
  }
  if (!CASE_OWNER_ROLES.includes(role)) {
    throw new AppError('FORBIDDEN', 'Only an administrator can invite another administrator');
  }
}

/**
 * Stores a single-use invitation (only its token's hash) and mails its link. A newer invitation
 * to the same address replaces any pending one. The link is never returned to the inviter: the
 * account it creates counts its e-mail as verified, so only the mailbox owner may hold it.
 * With `invitedCase` (the caller checked that the inviter owns it), accepting also shares it.
 */
export async function createInvitation(
  deps: InvitationDeps,
  inviter: AuthUser,
  input: { email: string; role: UserRole; invitedCase?: InvitedCase },
  context: RequestContext,
  log: FastifyBaseLogger,
): Promise<Invitation> {
  await assertMayInvite(deps, inviter, input.role);
  await assertFree(deps.db, null, input.email);
  const token = newSecret('mpi_');
  const now = nowIso();
  const id = newId();
  await deps.db.transaction().execute(async (trx) => {
    await revokePendingInvitations(trx, { email: input.email }, now);
    await insertInvitation(trx, {
      id,
      email: input.email,
      role: input.role,
      token_hash: hashSecret(token),
      invited_by: inviter.id,
      created_at: now,
      expires_at: isoAfter(deps.config.INVITATION_DAYS * 86_400_000),
      accepted_at: null,
      accepted_user_id: null,
      revoked_at: null,
      case_id: input.invitedCase?.id ?? null,
      case_role: input.invitedCase?.role ?? null,
    });
    await recordAudit(trx, {
      userId: inviter.id,
      action: 'invitation.create',
      targetType: 'invitation',
      targetId: id,
      description:
        `Invited ${input.email} as ${input.role}` +
        (input.invitedCase ? ` to case ${input.invitedCase.id} as ${input.invitedCase.role}` : ''),
      ip: context.ip,
    });
  });
  const link = invitationLink(deps.config, token);
  const mail = invitationMail(deps.config, inviter, input.role, link, input.invitedCase);
  deps.mailer
    .send({ to: input.email, ...mail })
    .catch((error: unknown) => log.error({ err: error }, 'could not send the invitation mail'));
  const row = await findInvitation(deps.db, id);
  if (!row) throw notFound('Invitation');
  return toInvitation(row);
}

/** Admins see every invitation; anyone else the ones they sent. */
export async function listInvitationsPage(
  deps: InvitationDeps,
  viewer: AuthUser,
  page: { page: number; pageSize: number },
) {
  const { rows, total } = await listInvitations(
    deps.db,
    { invitedBy: isAdmin(viewer) ? undefined : viewer.id },
    { limit: page.pageSize, offset: (page.page - 1) * page.pageSize },
  );
  const now = nowIso();
  return { items: rows.map((row) => toInvitation(row, now)), ...page, total };
}

/** Withdraws a pending invitation: its link stops working. Admins or whoever sent it. */
export async function revokeInvitation(
  deps: InvitationDeps,
  actor: AuthUser,
  id: string,
  context: RequestContext,
): Promise<void> {
  const row = await findInvitation(deps.db, id);
  if (!row || (!isAdmin(actor) && row.invited_by !== actor.id)) throw notFound('Invitation');
  await deps.db.transaction().execute(async (trx) => {
    if ((await revokePendingInvitations(trx, { id }, nowIso())) === 0) {
      throw new AppError('INVALID_STATE', `The invitation is ${invitationStatus(row, nowIso())}`);
    }
    await recordAudit(trx, {
      userId: actor.id,
      action: 'invitation.revoke',
      targetType: 'invitation',
      targetId: id,
      description: `Revoked the invitation of ${row.email}`,
      ip: context.ip,
    });
  });
}

const invalidInvitation = () =>
  new AppError('INVALID_TOKEN', 'This invitation link is invalid, used, revoked or expired');

/** What the acceptance page shows: the invited address and role, or INVALID_TOKEN. */
export async function lookUpInvitation(deps: InvitationDeps, token: string) {
  const row = await findUsableInvitation(deps.db, hashSecret(token), nowIso());
  if (!row) throw invalidInvitation();
  return { email: row.email, role: row.role, expiresAt: row.expires_at };
}

/**
 * Creates the invited account (with the invitation's e-mail and role) and uses the invitation
 * up, once; an invitation from a share dialog makes the account a member of its case too (unless
 * the case was deleted meanwhile). Works in every REGISTRATION mode.
 */
export async function acceptInvitation(
  deps: InvitationDeps,
  input: { token: string; username: string; password: string },
  context: RequestContext,
): Promise<PublicUser> {
  const invitation = await findUsableInvitation(deps.db, hashSecret(input.token), nowIso());
  if (!invitation) throw invalidInvitation();
  assertStrongPassword(input.password, input.username);
  await assertFree(deps.db, input.username, invitation.email);
  const now = nowIso();
  const account = {
    id: newId(),
    username: input.username,
    email: invitation.email,
    password_hash: await hashPassword(input.password),
    display_name: null,
    created_at: now,
    updated_at: now,
    // The invitation link reached this address: it is verified.
    email_verified_at: now,
  };
  try {
    const row = await deps.db.transaction().execute(async (trx) => {
      const inserted = await insertAccount(trx, account, invitation.role);
      // Used once: a second acceptance racing this one finds it taken and rolls its account back.
      if (!(await markInvitationAccepted(trx, invitation.id, inserted.id, nowIso()))) {
        throw invalidInvitation();
      }
      await recordAudit(trx, {
        userId: inserted.id,
        action: 'invitation.accept',
        targetType: 'invitation',
        targetId: invitation.id,
        description: `Joined as ${inserted.role} by invitation`,
        ip: context.ip,
      });
      if (invitation.case_id && invitation.case_role) {
        await insertInvitedMembership(trx, {
          missing_person_id: invitation.case_id,
          user_id: inserted.id,
          role: invitation.case_role,
          added_by: invitation.invited_by,
          created_at: now,
          updated_at: now,
        });
        await recordAudit(trx, {
          userId: invitation.invited_by,
          action: 'case.member.add',
          targetType: 'missing_person',
          targetId: invitation.case_id,
          description: `Shared the case with ${inserted.username} (${inserted.id}) as ${invitation.case_role} by invitation`,
          ip: context.ip,
        });
      }
      return inserted;
    });
    return toPublicUser(row);
  } catch (error) {
    throw conflictFrom(error) ?? error;
  }
}
