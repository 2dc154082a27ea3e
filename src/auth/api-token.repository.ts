import type { Executor } from '../db/database.js';
import type { AuthUser } from './auth.guard.js';
import type { ApiTokenRow, ApiTokensTable } from '../db/tables/auth.table.js';

export interface TokenWithUser {
  id: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  /** The login session the token belongs to (null for a personal token). */
  sessionId: string | null;
  /** That session's clock, or null when the session has ended (its row is gone). */
  session: { lastSeenAt: string; expiresAt: string } | null;
  user: AuthUser;
}

export async function insertApiToken(db: Executor, token: ApiTokensTable): Promise<void> {
  await db.insertInto('api_tokens').values(token).execute();
}

/** A token that is not revoked, by the hash of its secret or by its id, with its owner and session. */
export async function findLiveTokenWithUser(
  db: Executor,
  by: { tokenHash: string } | { id: string },
): Promise<TokenWithUser | undefined> {
  const query = db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .leftJoin('sessions', 'sessions.id', 'api_tokens.session_id')
    .select([
      'api_tokens.id',
      'api_tokens.last_used_at',
      'api_tokens.expires_at',
      'api_tokens.session_id',
      'sessions.last_seen_at as session_last_seen_at',
      'sessions.expires_at as session_expires_at',
      'users.id as user_id',
      'users.username',
      'users.email',
      'users.role',
    ])
    .where('api_tokens.revoked_at', 'is', null)
    // A disabled account's tokens are revoked; this also refuses any that were missed.
    .where('users.disabled_at', 'is', null);
  const row = await (
    'tokenHash' in by
      ? query.where('api_tokens.token_hash', '=', by.tokenHash)
      : query.where('api_tokens.id', '=', by.id)
  ).executeTakeFirst();
  return (
    row && {
      id: row.id,
      lastUsedAt: row.last_used_at,
      expiresAt: row.expires_at,
      sessionId: row.session_id,
      session:
        row.session_last_seen_at && row.session_expires_at
          ? { lastSeenAt: row.session_last_seen_at, expiresAt: row.session_expires_at }
          : null,
      user: { id: row.user_id, username: row.username, email: row.email, role: row.role },
    }
  );
}

export async function touchApiToken(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

/** Revokes the tokens issued with the given login sessions; returns the ids revoked. */
export async function revokeSessionTokens(
  db: Executor,
  sessionIds: string[],
  at: string,
): Promise<string[]> {
  if (sessionIds.length === 0) return [];
  const rows = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('session_id', 'in', sessionIds)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

/**
 * Revokes every live token of a user, login and personal alike, except `keepId` (the one asking)
 * and the login token of `keepSessionId`; returns the ids revoked.
 */
export async function revokeUserTokens(
  db: Executor,
  userId: string,
  at: string,
  keep: { tokenId?: string | null; sessionId?: string | null } = {},
): Promise<string[]> {
  let query = db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (keep.tokenId) query = query.where('id', '!=', keep.tokenId);
  const keepSession = keep.sessionId;
  if (keepSession) {
    query = query.where((eb) =>
      eb.or([eb('session_id', 'is', null), eb('session_id', '!=', keepSession)]),
    );
  }
  const rows = await query.returning('id').execute();
  return rows.map((row) => row.id);
}

/** The user's personal tokens that still work (login tokens are listed as their sessions). */
export async function listLiveTokens(
  db: Executor,
  userId: string,
  now: string,
): Promise<ApiTokenRow[]> {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('session_id', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

/** Revokes one of the user's live tokens; false when there is none with that id for this user. */
export async function revokeApiToken(
  db: Executor,
  userId: string,
  id: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
