import type { Executor } from '../db/database.js';

/*
 * Deletes sign-in material that can no longer be used. Each function takes the cut-off instants
 * (ISO strings) and answers how many rows it removed.
 */

const count = (results: { numDeletedRows: bigint }[]) =>
  results.reduce((sum, result) => sum + Number(result.numDeletedRows), 0);

/** Sessions past their hard expiry, or idle since before `idleBefore`. */
export async function deleteDeadSessions(
  db: Executor,
  expiredBefore: string,
  idleBefore: string,
): Promise<number> {
  return count(
    await db
      .deleteFrom('sessions')
      .where((eb) =>
        eb.or([eb('expires_at', '<', expiredBefore), eb('last_seen_at', '<', idleBefore)]),
      )
      .execute(),
  );
}

/** Tokens revoked or expired before `before`, and login tokens whose session is gone. */
export async function deleteDeadApiTokens(db: Executor, before: string): Promise<number> {
  return count(
    await db
      .deleteFrom('api_tokens')
      .where((eb) =>
        eb.or([
          eb('revoked_at', '<', before),
          eb('expires_at', '<', before),
          eb.and([
            eb('session_id', 'is not', null),
            eb.not(
              eb.exists(
                eb
                  .selectFrom('sessions')
                  .select('sessions.id')
                  .whereRef('sessions.id', '=', 'api_tokens.session_id'),
              ),
            ),
          ]),
        ]),
      )
      .execute(),
  );
}

/** Links (used or not) whose lifetime ended before `before`: they can no longer be followed. */
export async function deleteExpiredLinks(
  db: Executor,
  before: string,
): Promise<{ passwordResets: number; emailConfirmations: number; invitations: number }> {
  return {
    passwordResets: count(
      await db.deleteFrom('password_resets').where('expires_at', '<', before).execute(),
    ),
    emailConfirmations: count(
      await db.deleteFrom('email_confirmations').where('expires_at', '<', before).execute(),
    ),
    invitations: count(
      await db.deleteFrom('invitations').where('expires_at', '<', before).execute(),
    ),
  };
}
