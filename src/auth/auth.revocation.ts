import type { Db, Executor } from '../db/database.js';
import { AUTH_CHANNEL, type AuthRevokedEvent, type EventBus } from '../events/event.types.js';
import { nowIso } from '../shared/clock.js';
import { revokeSessionTokens, revokeUserTokens } from './api-token.repository.js';
import type { Authentication } from './auth.guard.js';
import { deleteSession, deleteUserSessions } from './session.repository.js';

/** Logins that just ended; `all` ends every login of the user. */
export interface EndedLogins {
  userId: string;
  sessionIds?: string[];
  tokenIds?: string[];
  all?: boolean;
}

/**
 * Tells every process that these logins ended, so the WebSockets they opened close at once.
 * Call it after the transaction that ended them committed. A bus failure (which the bus logs) is
 * not thrown: the logins are ended in the database either way, and sockets re-validate on a timer.
 */
export async function announceEnded(deps: { events: EventBus }, ended: EndedLogins): Promise<void> {
  const event: AuthRevokedEvent = {
    type: 'auth.revoked',
    userId: ended.userId,
    sessionIds: ended.sessionIds ?? [],
    tokenIds: ended.tokenIds ?? [],
    all: ended.all ?? false,
  };
  if (!event.all && event.sessionIds.length === 0 && event.tokenIds.length === 0) return;
  await deps.events.publish(AUTH_CHANNEL, event).catch(() => undefined);
}

/** Whether an ended-logins event covers the login a request or socket authenticated with. */
export function endsLogin(event: AuthRevokedEvent, auth: Authentication): boolean {
  if (event.userId !== auth.user.id) return false;
  if (event.all) return true;
  if (auth.sessionId && event.sessionIds.includes(auth.sessionId)) return true;
  return auth.tokenId !== null && event.tokenIds.includes(auth.tokenId);
}

/** Ends a session that ran out of time, with the login token issued with it. */
export async function expireSession(
  deps: { db: Db; events: EventBus },
  userId: string,
  sessionId: string,
) {
  const tokenIds = await deps.db.transaction().execute(async (trx) => {
    await deleteSession(trx, sessionId);
    return revokeSessionTokens(trx, [sessionId], nowIso());
  });
  await announceEnded(deps, { userId, sessionIds: [sessionId], tokenIds });
}

/**
 * Signs a user out everywhere, inside the caller's transaction: every session ends and every token
 * (login or personal) dies. Announce it with `{ userId, all: true }` once the transaction committed.
 */
export async function endEveryLogin(trx: Executor, userId: string, at: string): Promise<void> {
  await deleteUserSessions(trx, userId);
  await revokeUserTokens(trx, userId, at);
}
