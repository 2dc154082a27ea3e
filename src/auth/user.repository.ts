import { PostgresAdapter, sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { NewUser, UserRow, UserUpdate } from '../db/tables/auth.table.js';

export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByUsername(
  db: Executor,
  username: string,
): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

/** Whether the instance has any account at all. */
export async function hasAnyUser(db: Executor): Promise<boolean> {
  return (await db.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/**
 * Holds account creation and role changes to one transaction at a time until `trx` ends, so two
 * first registrations cannot both find the instance empty, nor two demotions both leave "another
 * admin". SQLite already runs one writer at a time.
 */
export async function lockAccounts(trx: Executor): Promise<void> {
  if (!(trx.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`select pg_advisory_xact_lock(hashtext('mpf.accounts'))`.execute(trx);
}

export async function insertUser(db: Executor, user: NewUser): Promise<void> {
  await db.insertInto('users').values(user).execute();
}

export async function updateUser(db: Executor, id: string, changes: UserUpdate): Promise<void> {
  await db.updateTable('users').set(changes).where('id', '=', id).execute();
}

/**
 * Which unique column of `users` a failed insert/update collided with, on either dialect, so a
 * race between two registrations still answers 409 rather than 500.
 */
export function violatedUserColumn(error: unknown): 'username' | 'email' | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, constraint } = error as { code?: string; constraint?: string };
  const unique = code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
  if (!unique) return undefined;
  const where = `${constraint ?? ''} ${error.message}`;
  if (where.includes('username')) return 'username';
  if (where.includes('email')) return 'email';
  return undefined;
}
