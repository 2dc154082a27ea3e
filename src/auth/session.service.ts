import type { ActiveSession } from '../contracts/auth.contract.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { EventBus } from '../events/event.types.js';
import { notFound } from '../shared/app-error.js';
import { nowIso } from '../shared/clock.js';
import { revokeSessionTokens } from './api-token.repository.js';
import { sessionOver, type Authentication } from './auth.guard.js';
import { announceEnded } from './auth.revocation.js';
import { hashSecret } from './auth.secrets.js';
import type { RequestContext } from './auth.service.js';
import type { SessionRow } from '../db/tables/auth.table.js';
import { deleteSession, deleteUserSessions, listUserSessions } from './session.repository.js';
import { describeDevice } from './user-agent.js';

/** Sessions are read and ended in the database; an ended one is announced on the bus. */
export interface SessionDeps {
  db: Db;
  config: Config;
  events: EventBus;
}

/**
 * The id a session is shown and ended by. Its row id is the hash of the cookie; that is not a
 * secret that signs anyone in, but a derived id keeps the two apart (and the hash out of pages).
 */
const publicSessionId = (rowId: string): string => hashSecret(`session:${rowId}`).slice(0, 32);

async function liveSessionsOf(deps: SessionDeps, userId: string): Promise<SessionRow[]> {
  const now = Date.now();
  const rows = await listUserSessions(deps.db, userId);
  return rows.filter(
    (row) =>
      !sessionOver(deps.config, { lastSeenAt: row.last_seen_at, expiresAt: row.expires_at }, now),
  );
}

export async function listSessions(
  deps: SessionDeps,
  auth: Authentication,
): Promise<ActiveSession[]> {
  return (await liveSessionsOf(deps, auth.user.id)).map((row) => ({
    id: publicSessionId(row.id),
    device: describeDevice(row.user_agent),
    ip: row.ip,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    current: row.id === auth.sessionId,
  }));
}

/** Ends one of the caller's sessions (and its login token); another user's id answers 404. */
export async function endSession(
  deps: SessionDeps,
  auth: Authentication,
  publicId: string,
  context: RequestContext,
): Promise<void> {
  const userId = auth.user.id;
  const row = (await liveSessionsOf(deps, userId)).find((s) => publicSessionId(s.id) === publicId);
  if (!row) throw notFound('Session');
  const tokenIds = await deps.db.transaction().execute(async (trx) => {
    await deleteSession(trx, row.id);
    const revoked = await revokeSessionTokens(trx, [row.id], nowIso());
    await recordAudit(trx, {
      userId,
      action: 'auth.session_end',
      description: `Ended the session of ${describeDevice(row.user_agent)} (${row.ip ?? 'no IP'})`,
      ip: context.ip,
    });
    return revoked;
  });
  await announceEnded(deps, { userId, sessionIds: [row.id], tokenIds });
}

/**
 * "Log out everywhere": ends every session of the user, this one included, with their login
 * tokens. Personal API tokens stay: they are listed and revoked on their own.
 */
export async function logoutEverywhere(
  deps: SessionDeps,
  auth: Authentication,
  context: RequestContext,
): Promise<void> {
  const userId = auth.user.id;
  const ended = await deps.db.transaction().execute(async (trx) => {
    const sessionIds = await deleteUserSessions(trx, userId);
    const tokenIds = await revokeSessionTokens(trx, sessionIds, nowIso());
    await recordAudit(trx, { userId, action: 'auth.logout_all', ip: context.ip });
    return { sessionIds, tokenIds };
  });
  await announceEnded(deps, { userId, ...ended });
}
