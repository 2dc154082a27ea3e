import type { Executor } from '../db/database.js';
import type { UserRole, UserRow } from '../db/tables/auth.table.js';
import type { AuditLogRow } from '../db/tables/audit.table.js';

export interface UserFilter {
  /** Part of the username or e-mail. */
  q?: string | undefined;
  role?: UserRole | undefined;
  status?: 'active' | 'disabled' | undefined;
}

export interface UserWithActivity extends UserRow {
  last_seen_at: string | null;
}

function filteredUsers(db: Executor, filter: UserFilter) {
  let query = db.selectFrom('users');
  if (filter.q) {
    // Usernames and e-mails are stored in lower case; a stray % or _ only widens an admin's filter.
    const pattern = `%${filter.q.toLowerCase()}%`;
    query = query.where((eb) =>
      eb.or([eb('users.username', 'like', pattern), eb('users.email', 'like', pattern)]),
    );
  }
  if (filter.role) query = query.where('users.role', '=', filter.role);
  if (filter.status === 'active') query = query.where('users.disabled_at', 'is', null);
  if (filter.status === 'disabled') query = query.where('users.disabled_at', 'is not', null);
  return query;
}

/** Users with the last time one of their sessions was used. */
function usersWithActivity(db: Executor, filter: UserFilter) {
  return filteredUsers(db, filter)
    .selectAll('users')
    .select((eb) =>
      eb
        .selectFrom('sessions')
        .select((inner) => inner.fn.max('sessions.last_seen_at').as('seen'))
        .whereRef('sessions.user_id', '=', 'users.id')
        .as('last_seen_at'),
    );
}

/** One page of users, by username. */
export async function listUsers(
  db: Executor,
  filter: UserFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: UserWithActivity[]; total: number }> {
  const rows = await usersWithActivity(db, filter)
    .orderBy('users.username')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const { total } = await filteredUsers(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  return { rows, total: Number(total) };
}

export async function findUserWithActivity(
  db: Executor,
  id: string,
): Promise<UserWithActivity | undefined> {
  return usersWithActivity(db, {}).where('users.id', '=', id).executeTakeFirst();
}

/** Admins who can still sign in. */
export async function countActiveAdmins(db: Executor): Promise<number> {
  const { total } = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(total);
}

export async function countUsersByRole(db: Executor): Promise<Map<UserRole, number>> {
  const rows = await db
    .selectFrom('users')
    .select(['role', (eb) => eb.fn.countAll<number>().as('total')])
    .where('disabled_at', 'is', null)
    .groupBy('role')
    .execute();
  return new Map(rows.map((row) => [row.role, Number(row.total)]));
}

export interface AuditFilter {
  userId?: string | undefined;
  /** An action, or a prefix ending in "." (e.g. `admin.`). */
  action?: string | undefined;
}

function filteredAudit(db: Executor, filter: AuditFilter) {
  let query = db.selectFrom('audit_logs');
  if (filter.userId) query = query.where('audit_logs.user_id', '=', filter.userId);
  if (filter.action?.endsWith('.')) {
    query = query.where('audit_logs.action', 'like', `${filter.action}%`);
  } else if (filter.action) {
    query = query.where('audit_logs.action', '=', filter.action);
  }
  return query;
}

/** One page of everyone's audit rows, newest first, with the username of who acted. */
export async function listAllAuditLogs(
  db: Executor,
  filter: AuditFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: (AuditLogRow & { username: string | null })[]; total: number }> {
  const rows = await filteredAudit(db, filter)
    .leftJoin('users', 'users.id', 'audit_logs.user_id')
    .selectAll('audit_logs')
    .select('users.username')
    .orderBy('audit_logs.created_at', 'desc')
    .orderBy('audit_logs.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const { total } = await filteredAudit(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  return { rows, total: Number(total) };
}
