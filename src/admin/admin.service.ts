import { recordAudit, toAuditEvent } from '../audit/audit.service.js';
import type { AuthUser } from '../auth/auth.guard.js';
import type { RequestContext } from '../auth/auth.service.js';
import type { UserRole } from '../db/tables/auth.table.js';
import {
  announceChanged,
  announceEnded,
  endEveryLogin,
  findUserById,
  lockAccounts,
  updateUser,
} from '../auth/account.service.js';
import type { Db, DialectName, Executor } from '../db/database.js';
import type { EventBus } from '../events/event.types.js';
import type { JobQueue } from '../jobs/job.types.js';
import type { Config } from '../config.js';
import { AppError, notFound } from '../shared/app-error.js';
import { nowIso } from '../shared/clock.js';
import { version } from '../shared/version.js';
import {
  countActiveAdmins,
  countUsersByRole,
  findUserWithActivity,
  listAllAuditLogs,
  listUsers,
  type AuditFilter,
  type UserFilter,
  type UserWithActivity,
} from './admin.repository.js';
import type { AdminAuditEvent, AdminUser, SystemStatus } from './admin.schema.js';

interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

const toAdminUser = (row: UserWithActivity): AdminUser => ({
  id: row.id,
  username: row.username,
  email: row.email,
  displayName: row.display_name,
  role: row.role,
  disabledAt: row.disabled_at,
  lastSeenAt: row.last_seen_at,
  createdAt: row.created_at,
});

export async function listUsersPage(
  db: Executor,
  query: UserFilter & { page: number; pageSize: number },
): Promise<Page<AdminUser>> {
  const { page, pageSize, ...filter } = query;
  const { rows, total } = await listUsers(db, filter, {
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  return { items: rows.map(toAdminUser), page, pageSize, total };
}

/** Ending a user's logins writes them off in the database and announces it on the bus. */
export interface SignOutDeps {
  db: Db;
  events: EventBus;
}

/**
 * Changes a user's role and/or disables or enables them. Disabling signs them out at once. Refuses
 * any change that would leave no admin able to sign in, and disabling oneself.
 */
export async function updateUserAccess(
  deps: SignOutDeps,
  actor: AuthUser,
  userId: string,
  changes: { role?: UserRole | undefined; disabled?: boolean | undefined },
  context: RequestContext,
): Promise<AdminUser> {
  if (changes.disabled === true && userId === actor.id) {
    throw new AppError('INVALID_STATE', 'You cannot disable your own account');
  }
  const outcome = await deps.db.transaction().execute(async (trx) => {
    await lockAccounts(trx);
    const user = await findUserById(trx, userId);
    if (!user) throw notFound('User');
    const role = changes.role ?? user.role;
    const disabledAt =
      changes.disabled === undefined
        ? user.disabled_at
        : changes.disabled
          ? (user.disabled_at ?? nowIso())
          : null;
    await updateUser(trx, userId, { role, disabled_at: disabledAt, updated_at: nowIso() });
    if ((await countActiveAdmins(trx)) === 0) {
      throw new AppError('LAST_ADMIN', 'At least one administrator must remain able to sign in');
    }
    const disabling = Boolean(disabledAt) && !user.disabled_at;
    if (disabling) await endEveryLogin(trx, userId, nowIso());
    const audit = (action: string, description: string) =>
      recordAudit(trx, {
        userId: actor.id,
        action,
        targetType: 'user',
        targetId: userId,
        description,
        ip: context.ip,
      });
    if (role !== user.role) {
      await audit('admin.user.role', `Changed ${user.username} from ${user.role} to ${role}`);
    }
    if (Boolean(disabledAt) !== Boolean(user.disabled_at)) {
      await audit(
        disabledAt ? 'admin.user.disable' : 'admin.user.enable',
        `${disabledAt ? 'Disabled' : 'Enabled'} ${user.username}`,
      );
    }
    return { disabling, roleChanged: role !== user.role };
  });
  // Their open WebSockets close at once, in every process.
  if (outcome.disabling) await announceEnded(deps, { userId, all: true });
  // No process keeps serving them with the old role from its login cache.
  else if (outcome.roleChanged) await announceChanged(deps, userId);
  return getAdminUser(deps.db, userId);
}

async function getAdminUser(db: Executor, userId: string): Promise<AdminUser> {
  const row = await findUserWithActivity(db, userId);
  if (!row) throw notFound('User');
  return toAdminUser(row);
}

/** "Sign out everywhere" for someone else: ends their sessions and revokes their tokens. */
export async function signOutUser(
  deps: SignOutDeps,
  actor: AuthUser,
  userId: string,
  context: RequestContext,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const user = await findUserById(trx, userId);
    if (!user) throw notFound('User');
    await endEveryLogin(trx, userId, nowIso());
    await recordAudit(trx, {
      userId: actor.id,
      action: 'admin.user.sign_out',
      targetType: 'user',
      targetId: userId,
      description: `Signed ${user.username} out everywhere`,
      ip: context.ip,
    });
  });
  await announceEnded(deps, { userId, all: true });
}

export async function listAuditPage(
  db: Executor,
  query: AuditFilter & { page: number; pageSize: number },
): Promise<Page<AdminAuditEvent>> {
  const { page, pageSize, ...filter } = query;
  const { rows, total } = await listAllAuditLogs(db, filter, {
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  const items = rows.map((row) => ({
    ...toAuditEvent(row),
    userId: row.user_id,
    username: row.username,
  }));
  return { items, page, pageSize, total };
}

/** What the status page reads: user counts, the queue's figures and the configuration. */
export interface SystemStatusDeps {
  db: Db;
  dialect: DialectName;
  queue: Pick<JobQueue, 'stats'>;
  config: Pick<Config, 'REGISTRATION'>;
}

export async function systemStatus(deps: SystemStatusDeps): Promise<SystemStatus> {
  const [users, queue] = await Promise.all([countUsersByRole(deps.db), deps.queue.stats()]);
  return {
    version,
    uptimeSeconds: Math.round(process.uptime()),
    database: deps.dialect,
    registration: deps.config.REGISTRATION,
    users: {
      admin: users.get('admin') ?? 0,
      investigator: users.get('investigator') ?? 0,
      viewer: users.get('viewer') ?? 0,
    },
    queue: {
      queued: queue.counts.queued,
      running: queue.counts.running,
      failed: queue.counts.failed,
      workersBusy: queue.workers.busy,
      workers: queue.workers.concurrency,
    },
  };
}
