import type { Executor } from '../db/database.js';
import type { PasswordResetRow, PasswordResetsTable } from '../db/tables/auth.table.js';

export async function insertPasswordReset(db: Executor, reset: PasswordResetsTable): Promise<void> {
  await db.insertInto('password_resets').values(reset).execute();
}

/** An unused, unexpired reset by the hash of its token. */
export async function findUsablePasswordReset(
  db: Executor,
  tokenHash: string,
  now: string,
): Promise<PasswordResetRow | undefined> {
  return db
    .selectFrom('password_resets')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/** Marks a reset used; false when another request used it first. */
export async function markPasswordResetUsed(
  db: Executor,
  id: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('password_resets')
    .set({ used_at: at })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Retires a user's outstanding links, so only the newest one works. */
export async function retireUserPasswordResets(
  db: Executor,
  userId: string,
  at: string,
): Promise<void> {
  await db
    .updateTable('password_resets')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
}
