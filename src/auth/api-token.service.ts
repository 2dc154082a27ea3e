import type { ApiToken } from '../contracts/auth.contract.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Db, Executor } from '../db/database.js';
import type { EventBus } from '../events/event.types.js';
import { notFound } from '../shared/app-error.js';
import { isoAfter, newId, nowIso } from '../shared/clock.js';
import { insertApiToken, listLiveTokens, revokeApiToken } from './api-token.repository.js';
import { announceEnded } from './auth.revocation.js';
import { hashSecret, newSecret } from './auth.secrets.js';
import type { ApiTokenRow } from '../db/tables/auth.table.js';

/** Tokens live in the database; a revoked one is announced on the bus. */
export interface ApiTokenDeps {
  db: Db;
  events: EventBus;
}

const toApiToken = (row: ApiTokenRow): ApiToken => ({
  id: row.id,
  name: row.name,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  expiresAt: row.expires_at,
});

/** How long a token lives: bound to a login session, or until a date (personal tokens). */
export type TokenLifetime = { sessionId: string } | { expiresAt: string };

/** Issues a token; its secret is returned here once and only its hash is kept. */
export async function issueApiToken(
  db: Executor,
  userId: string,
  name: string,
  lifetime: TokenLifetime,
): Promise<ApiToken & { token: string }> {
  const token = newSecret('mpf_');
  const row = {
    id: newId(),
    user_id: userId,
    name,
    token_hash: hashSecret(token),
    created_at: nowIso(),
    last_used_at: null,
    revoked_at: null,
    session_id: 'sessionId' in lifetime ? lifetime.sessionId : null,
    expires_at: 'expiresAt' in lifetime ? lifetime.expiresAt : null,
  };
  await insertApiToken(db, row);
  return { ...toApiToken(row), token };
}

export async function listApiTokens(db: Executor, userId: string): Promise<ApiToken[]> {
  return (await listLiveTokens(db, userId, nowIso())).map(toApiToken);
}

/** A personal token (tokens page) that works for `expiresInDays` days. */
export async function createApiToken(
  db: Db,
  userId: string,
  input: { name: string; expiresInDays: number },
  ip: string | null,
): Promise<ApiToken & { token: string }> {
  const { name, expiresInDays } = input;
  const expiresAt = isoAfter(expiresInDays * 86_400_000);
  return db.transaction().execute(async (trx) => {
    const created = await issueApiToken(trx, userId, name, { expiresAt });
    await recordAudit(trx, {
      userId,
      action: 'auth.token_create',
      targetType: 'api_token',
      targetId: created.id,
      description: `Created API token "${name}" (expires ${expiresAt.slice(0, 10)})`,
      ip,
    });
    return created;
  });
}

/** Revokes one of the caller's tokens; another user's token id answers 404 like a missing one. */
export async function revokeOwnApiToken(
  deps: ApiTokenDeps,
  userId: string,
  tokenId: string,
  ip: string | null,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    if (!(await revokeApiToken(trx, userId, tokenId, nowIso()))) throw notFound('API token');
    await recordAudit(trx, {
      userId,
      action: 'auth.token_revoke',
      targetType: 'api_token',
      targetId: tokenId,
      ip,
    });
  });
  await announceEnded(deps, { userId, tokenIds: [tokenId] });
}
