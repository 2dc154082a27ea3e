import type { Executor } from '../db/database.js';
import type {
  EmailConfirmationRow,
  EmailConfirmationsTable,
  EmailPurpose,
} from '../db/tables/auth.table.js';

export async function insertEmailConfirmation(
  db: Executor,
  row: EmailConfirmationsTable,
): Promise<void> {
  await db.insertInto('email_confirmations').values(row).execute();
}

/** Retires a user's pending links of one purpose (and address, for alerts): only the newest works. */
export async function retireEmailConfirmations(
  db: Executor,
  userId: string,
  purpose: EmailPurpose,
  at: string,
): Promise<void> {
  await db
    .updateTable('email_confirmations')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute();
}

/** Marks an unused, unexpired link used and returns it; undefined when there is none (or it lost a race). */
export async function useEmailConfirmation(
  db: Executor,
  tokenHash: string,
  now: string,
): Promise<EmailConfirmationRow | undefined> {
  const row = await db
    .selectFrom('email_confirmations')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (!row) return undefined;
  const result = await db
    .updateTable('email_confirmations')
    .set({ used_at: now })
    .where('id', '=', row.id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n ? row : undefined;
}

export async function addAlertRecipient(
  db: Executor,
  userId: string,
  email: string,
  at: string,
): Promise<void> {
  await db
    .insertInto('alert_recipients')
    .values({ user_id: userId, email, confirmed_at: at })
    .onConflict((oc) => oc.columns(['user_id', 'email']).doNothing())
    .execute();
}

/** Whether `email` may receive `userId`'s alerts: their own confirmed e-mail, or one confirmed for alerts. */
export async function isConfirmedAlertAddress(
  db: Executor,
  userId: string,
  email: string,
): Promise<boolean> {
  const own = await db
    .selectFrom('users')
    .select('id')
    .where('id', '=', userId)
    .where('email', '=', email)
    .where('email_verified_at', 'is not', null)
    .executeTakeFirst();
  if (own) return true;
  const other = await db
    .selectFrom('alert_recipients')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('email', '=', email)
    .executeTakeFirst();
  return other !== undefined;
}
