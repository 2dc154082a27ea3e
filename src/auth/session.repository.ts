import type { Executor } from '../db/database.js';
import type { AuthUser } from './auth.guard.js';
import type { SessionRow, SessionsTable } from '../db/tables/auth.table.js';

export interface SessionWithUser {
  id: string;
  csrfToken: string;
  lastSeenAt: string;
  expiresAt: string;
  user: AuthUser;
}

export async function insertSession(db: Executor, session: SessionsTable): Promise<void> {
  await db.insertInto('sessions').values(session).execute();
}

export async function findSessionWithUser(
  db: Executor,
  id: string,
): Promise<SessionWithUser | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id',
      'sessions.csrf_token',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'users.id as user_id',
      'users.username',
      'users.email',
      'users.role',
    ])
    .where('sessions.id', '=', id)
    // A disabled account's sessions are deleted; this also refuses any that were missed.
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      csrfToken: row.csrf_token,
      lastSeenAt: row.last_seen_at,
      expiresAt: row.expires_at,
      user: { id: row.user_id, username: row.username, email: row.email, role: row.role },
    }
  );
}

export async function touchSession(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/**
 * Ends every session of a user, except `keepId` (the one asking) when given; returns the ids
 * ended, so the tokens issued with them can be revoked too.
 */
export async function deleteUserSessions(
  db: Executor,
  userId: string,
  keepId: string | null = null,
): Promise<string[]> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepId) query = query.where('id', '!=', keepId);
  const rows = await query.returning('id').execute();
  return rows.map((row) => row.id);
}

export async function listUserSessions(db: Executor, userId: string): Promise<SessionRow[]> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('last_seen_at', 'desc')
    .execute();
}
