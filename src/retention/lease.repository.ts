import type { Executor } from '../db/database.js';

/**
 * Takes the lease `name` for `holder` until `until`, unless another holder has it and it has not
 * expired at `now`. Answers whether `holder` has it now. One statement each, so two processes
 * racing for it cannot both win (the primary key decides).
 */
export async function takeLease(
  db: Executor,
  lease: { name: string; holder: string; now: string; until: string },
): Promise<boolean> {
  await db
    .insertInto('leases')
    .values({ name: lease.name, holder: lease.holder, expires_at: lease.until })
    .onConflict((conflict) =>
      conflict
        .column('name')
        .doUpdateSet({ holder: lease.holder, expires_at: lease.until })
        .where('leases.expires_at', '<=', lease.now),
    )
    .execute();
  const row = await db
    .selectFrom('leases')
    .select('holder')
    .where('name', '=', lease.name)
    .executeTakeFirst();
  return row?.holder === lease.holder;
}

/** Gives the lease back (only when `holder` still has it). */
export async function releaseLease(db: Executor, name: string, holder: string): Promise<void> {
  await db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
}
