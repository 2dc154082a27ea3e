import type { Executor } from '../db/database.js';
import { newId } from '../shared/clock.js';

export async function insertLoginFailure(
  db: Executor,
  account: string,
  ip: string | null,
  at: string,
): Promise<void> {
  await db
    .insertInto('login_failures')
    .values({ id: newId(), account, ip, created_at: at })
    .execute();
}

/** Failed logins on `account` since `since`. */
export async function countLoginFailures(
  db: Executor,
  account: string,
  since: string,
): Promise<number> {
  const row = await db
    .selectFrom('login_failures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account', '=', account)
    .where('created_at', '>', since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Forgets failures older than `before` (of every account): only the recent ones count. */
export async function forgetLoginFailures(db: Executor, before: string): Promise<void> {
  await db.deleteFrom('login_failures').where('created_at', '<', before).execute();
}

/** A success from an address clears that address's failures on the account, not the others'. */
export async function clearLoginFailures(
  db: Executor,
  account: string,
  ip: string | null,
): Promise<void> {
  let query = db.deleteFrom('login_failures').where('account', '=', account);
  query = ip === null ? query.where('ip', 'is', null) : query.where('ip', '=', ip);
  await query.execute();
}
