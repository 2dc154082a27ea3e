import type { Db, Executor } from '../db/database.js';
import {
  AUTH_CHANNEL,
  type AuthChangedEvent,
  type AuthRevokedEvent,
  type EventBus,
} from '../events/event.types.js';
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

/** Drops what this process keeps in memory about a user's logins (see login-cache.ts). */
export type ForgetLogins = (userId: string) => void;

/*
 * The login caches of this process, by the bus their app publishes on. The bus tells the other
 * processes; these are told before it, synchronously, so that a logout's own process never serves
 * the ended login again, even while a Redis bus is still carrying the event.
 */
const localCaches = new WeakMap<EventBus, Set<ForgetLogins>>();

/** Runs `forget` whenever a login of a user ends or their account changes; returns its removal. */
export function onLoginsChanged(events: EventBus, forget: ForgetLogins): () => void {
  let forgetters = localCaches.get(events);
  if (!forgetters) {
    forgetters = new Set();
    localCaches.set(events, forgetters);
  }
  forgetters.add(forget);
  const own = forgetters;
  return () => own.delete(forget);
}

function forgetLocally(events: EventBus, userId: string): void {
  for (const forget of localCaches.get(events) ?? []) forget(userId);
}

/**
 * Tells every process that a user's role or e-mail changed, so none keeps serving their requests
 * with the old one. Call it after the transaction committed; a bus failure is not thrown.
 */
export async function announceChanged(deps: { events: EventBus }, userId: string): Promise<void> {
  forgetLocally(deps.events, userId);
  const event: AuthChangedEvent = { type: 'auth.changed', userId };
  await deps.events.publish(AUTH_CHANNEL, event).catch(() => undefined);
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
  forgetLocally(deps.events, ended.userId);
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
