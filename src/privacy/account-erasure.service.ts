import { createHmac } from 'node:crypto';
import { recordAudit } from '../audit/audit.service.js';
import { announceEnded, confirmPassword, lockAccounts } from '../auth/account.service.js';
import type { Authentication } from '../auth/auth.guard.js';
import {
  deleteCase,
  deleteSearches,
  findSearchFileKeys,
  type Actor,
} from '../cases/case.service.js';
import type { Config } from '../config.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { userScope, type Keyring } from '../crypto/keyring.js';
import type { Db, Executor } from '../db/database.js';
import type { UserRow } from '../db/tables/auth.table.js';
import type { EventBus } from '../events/event.types.js';
import type { JobQueue } from '../jobs/job.types.js';
import type { OutboundPolicies } from '../net/outbound-policy.js';
import { cancelSearches } from '../searches/search.service.js';
import { AppError } from '../shared/app-error.js';
import { nowIso } from '../shared/clock.js';
import type { Storage } from '../storage/storage.types.js';
import { deleteVideo } from '../videos/video.service.js';
import * as repo from './privacy.repository.js';

/** Deleting an account reaches its cases, footage, searches, live feeds, logins and keys. */
export interface ErasureDeps {
  db: Db;
  config: Pick<Config, 'RETENTION_DAYS'>;
  fields: FieldCipher;
  storage: Storage;
  keyring: Pick<Keyring, 'dataKey' | 'destroy'>;
  queue: Pick<JobQueue, 'cancel'>;
  events: EventBus;
  outbound: OutboundPolicies;
}

/** What became of the user's cases. */
export interface ErasureOutcome {
  deletedCases: number;
  transferredCases: number;
}

/** The key the audit pseudonyms are made with: a data key of its own, never shredded. */
const PSEUDONYM_SCOPE = userScope('audit-pseudonyms');

/** `deleted-user:<hmac>`: the same for every row of one user, not reversible without the key. */
async function pseudonymOf(deps: ErasureDeps, userId: string): Promise<string> {
  const key = await deps.keyring.dataKey(PSEUDONYM_SCOPE, { create: true });
  const mac = createHmac('sha256', key).update(`audit-pseudonym:${userId}`).digest('hex');
  return `deleted-user:${mac.slice(0, 24)}`;
}

async function refuseLastAdmin(db: Executor, user: UserRow) {
  if (user.role === 'admin' && (await repo.countOtherActiveAdmins(db, user.id)) === 0) {
    throw new AppError(
      'LAST_ADMIN',
      'You are the only administrator: make someone else administrator before deleting your account',
    );
  }
}

/**
 * The user's cases: those shared pass to the oldest editor (else the oldest member), who becomes
 * owner and keeps the case's key; the others are deleted through the cases' own deletion path,
 * then their keys destroyed. The user's searches go in between (they may be in either kind).
 */
async function settleCases(deps: ErasureDeps, actor: Actor): Promise<ErasureOutcome> {
  const owned = await repo.listOwnedCases(deps.db, actor.userId);
  const heirs = await Promise.all(
    owned.map(async (row) => ({
      id: row.id,
      heir: await repo.findHeir(deps.db, row.id, actor.userId),
    })),
  );
  const alone = heirs.filter((entry) => !entry.heir).map((entry) => entry.id);
  await cancelSearches(deps, await repo.findActiveSearchesTouching(deps.db, actor.userId, alone));
  for (const { id, heir } of heirs) {
    if (!heir) continue;
    await deps.db.transaction().execute(async (trx) => {
      await repo.transferCase(trx, id, actor.userId, heir.user_id, nowIso());
      await recordAudit(trx, {
        userId: heir.user_id,
        action: 'case.inherit',
        targetType: 'missing_person',
        targetId: id,
        description: `Became the owner of the case (was ${heir.role}): its owner deleted their account`,
      });
    });
  }
  await deleteOwnSearches(deps, actor.userId);
  for (const id of alone) {
    await deleteCase(deps, actor, id);
  }
  return { deletedCases: alone.length, transferredCases: owned.length - alone.length };
}

/** The searches the user started (in any case), with their results and files. */
async function deleteOwnSearches(deps: ErasureDeps, userId: string): Promise<void> {
  const searchIds = await repo.findSearchIdsOf(deps.db, userId);
  const keys = await deps.db.transaction().execute(async (trx) => {
    const found = await findSearchFileKeys(trx, searchIds);
    await deleteSearches(trx, searchIds);
    return found;
  });
  await Promise.all(keys.map((key) => deps.storage.delete(key)));
  await deps.storage.deletePrefix(`users/${userId}/searches/`);
}

async function deleteFootage(deps: ErasureDeps, actor: Actor): Promise<void> {
  for (const video of await repo.listVideosOf(deps.db, actor.userId)) {
    await deleteVideo(deps, actor, video.id);
  }
  await deps.storage.deletePrefix(`users/${actor.userId}/videos/`);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Removes the user's names and e-mail from audit descriptions others' rows still carry. */
async function scrubMentions(trx: Executor, user: UserRow) {
  const needles = [user.email, user.username, user.display_name ?? '']
    .map((text) => text.trim().toLowerCase())
    .filter((text) => text.length >= 3);
  if (needles.length === 0) return;
  const pattern = new RegExp(needles.map(escapeRegExp).join('|'), 'gi');
  for (const row of await repo.findAuditMentioning(trx, needles)) {
    if (row.description === null) continue;
    await repo.setAuditDescription(trx, row.id, row.description.replace(pattern, '[deleted user]'));
  }
}

/**
 * Deletes the signed-in user's account after checking their password. Needs a login (a session,
 * or the token issued with one): a personal API token cannot. See docs/security.md.
 */
export async function deleteAccount(
  deps: ErasureDeps,
  auth: Authentication,
  password: string,
  ip: string,
): Promise<ErasureOutcome> {
  if (!auth.sessionId) {
    throw new AppError('FORBIDDEN', 'Deleting an account needs a sign-in, not an API token');
  }
  const user = await confirmPassword(deps.db, auth.user.id, password);
  await refuseLastAdmin(deps.db, user);
  const actor = { userId: user.id, ip };
  const outcome = await settleCases(deps, actor);
  await deleteFootage(deps, actor);
  const pseudonym = await pseudonymOf(deps, user.id);
  await deps.db.transaction().execute(async (trx) => {
    await lockAccounts(trx);
    await refuseLastAdmin(trx, user);
    await repo.pseudonymiseAudit(trx, user.id, pseudonym);
    await scrubMentions(trx, user);
    await repo.deleteAccountRows(trx, user);
    await recordAudit(trx, {
      userId: null,
      action: 'account.delete',
      targetType: 'user',
      targetId: pseudonym,
      description:
        `Account deleted by its user: ${outcome.deletedCases} case(s) deleted, ` +
        `${outcome.transferredCases} passed to another member`,
    });
  });
  await deps.keyring.destroy(userScope(user.id));
  await announceEnded(deps, { userId: user.id, all: true });
  return outcome;
}
