import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import {
  deleteDeadApiTokens,
  deleteDeadSessions,
  deleteExpiredLinks,
} from './credential-retention.repository.js';

/**
 * Dead sign-in material is kept this long after it stopped working, so that someone coming back
 * soon after is told their session expired (rather than that they never signed in).
 */
export const CREDENTIAL_GRACE_DAYS = 1;

const DAY_MS = 86_400_000;

export interface CredentialPurge {
  sessions: number;
  apiTokens: number;
  passwordResets: number;
  emailConfirmations: number;
  invitations: number;
}

/** Deletes sessions, API tokens and mailed links that stopped working over a day before `now`. */
export async function purgeDeadCredentials(
  db: Db,
  config: Pick<Config, 'SESSION_IDLE_MINUTES'>,
  now: Date,
): Promise<CredentialPurge> {
  const graceStart = now.getTime() - CREDENTIAL_GRACE_DAYS * DAY_MS;
  const before = new Date(graceStart).toISOString();
  const idleBefore = new Date(graceStart - config.SESSION_IDLE_MINUTES * 60_000).toISOString();
  return db.transaction().execute(async (trx) => {
    const sessions = await deleteDeadSessions(trx, before, idleBefore);
    const apiTokens = await deleteDeadApiTokens(trx, before);
    return { sessions, apiTokens, ...(await deleteExpiredLinks(trx, before)) };
  });
}
