import type { Executor } from '../db/database.js';
import type { AuthUser } from './auth.guard.js';
import type { ApiTokenRow, ApiTokensTable } from './auth.table.js';

export interface TokenWithUser {
  id: string;
  lastUsedAt: string | null;
  user: AuthUser;
}

export async function insertApiToken(db: Executor, token: ApiTokensTable): Promise<void> {
  await db.insertInto('api_tokens').values(token).execute();
}

/** A live (not revoked) token by the hash of its secret, with its owner. */
export async function findLiveTokenWithUser(
  db: Executor,
  tokenHash: string,
): Promise<TokenWithUser | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id',
      'api_tokens.last_used_at',
      'users.id as user_id',
      'users.username',
      'users.email',
      'users.role',
    ])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    // A disabled account's tokens are revoked; this also refuses any that were missed.
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      lastUsedAt: row.last_used_at,
      user: { id: row.user_id, username: row.username, email: row.email, role: row.role },
    }
  );
}

export async function touchApiToken(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

/** The session a token was issued with at login, if any. */
export async function findTokenSession(db: Executor, id: string): Promise<string | null> {
  const row = await db
    .selectFrom('api_tokens')
    .select('session_id')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.session_id ?? null;
}

/** Revokes the tokens issued with the given login sessions. */
export async function revokeSessionTokens(
  db: Executor,
  sessionIds: string[],
  at: string,
): Promise<void> {
  if (sessionIds.length === 0) return;
  await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('session_id', 'in', sessionIds)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function listLiveTokens(db: Executor, userId: string): Promise<ApiTokenRow[]> {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
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

/** Revokes every live token of a user: login tokens and personal ones alike. */
export async function revokeUserTokens(db: Executor, userId: string, at: string): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}
