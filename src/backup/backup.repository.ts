import type { Executor } from '../db/database.js';
import type { BackupRunRow } from '../db/tables/backup.table.js';

const LOCK = 'backup';

/** Takes the backup lease unless another process holds an unexpired one; true when taken. */
export async function tryLock(db: Executor, holder: string, until: Date): Promise<boolean> {
  const now = new Date().toISOString();
  await db
    .insertInto('backup_lock')
    .values({ name: LOCK, holder, expires_at: until.toISOString() })
    .onConflict((conflict) =>
      conflict
        .column('name')
        .doUpdateSet({ holder, expires_at: until.toISOString() })
        .where('backup_lock.expires_at', '<', now),
    )
    .execute();
  const row = await db
    .selectFrom('backup_lock')
    .select('holder')
    .where('name', '=', LOCK)
    .executeTakeFirst();
  return row?.holder === holder;
}

export async function renewLock(db: Executor, holder: string, until: Date): Promise<void> {
  await db
    .updateTable('backup_lock')
    .set({ expires_at: until.toISOString() })
    .where('name', '=', LOCK)
    .where('holder', '=', holder)
    .execute();
}

export async function releaseLock(db: Executor, holder: string): Promise<void> {
  await db
    .deleteFrom('backup_lock')
    .where('name', '=', LOCK)
    .where('holder', '=', holder)
    .execute();
}

export async function isLocked(db: Executor): Promise<boolean> {
  const row = await db
    .selectFrom('backup_lock')
    .select('name')
    .where('name', '=', LOCK)
    .where('expires_at', '>', new Date().toISOString())
    .executeTakeFirst();
  return row !== undefined;
}

export async function addDeferredDelete(
  db: Executor,
  key: string,
  isPrefix: boolean,
): Promise<void> {
  const deferred_at = new Date().toISOString();
  await db
    .insertInto('deferred_deletes')
    .values({ storage_key: key, is_prefix: isPrefix ? 1 : 0, deferred_at })
    .onConflict((conflict) =>
      conflict.columns(['storage_key', 'is_prefix']).doUpdateSet({ deferred_at }),
    )
    .execute();
}

export function deferredDeletes(db: Executor) {
  return db.selectFrom('deferred_deletes').selectAll().orderBy('deferred_at').execute();
}

export async function removeDeferredDelete(
  db: Executor,
  row: { storage_key: string; is_prefix: number; deferred_at: string },
): Promise<void> {
  await db
    .deleteFrom('deferred_deletes')
    .where('storage_key', '=', row.storage_key)
    .where('is_prefix', '=', row.is_prefix)
    .where('deferred_at', '=', row.deferred_at)
    .execute();
}

export async function insertRun(
  db: Executor,
  run: Pick<BackupRunRow, 'id' | 'kind'>,
): Promise<void> {
  await db
    .insertInto('backup_runs')
    .values({ ...run, status: 'running', started_at: new Date().toISOString() })
    .execute();
}

export async function finishRun(
  db: Executor,
  id: string,
  outcome: Pick<BackupRunRow, 'status' | 'file' | 'size_bytes' | 'error'>,
): Promise<void> {
  await db
    .updateTable('backup_runs')
    .set({ ...outcome, finished_at: new Date().toISOString() })
    .where('id', '=', id)
    .execute();
}

/** The newest finished run of `status`. */
export function lastRun(db: Executor, status: 'succeeded' | 'failed') {
  return db
    .selectFrom('backup_runs')
    .selectAll()
    .where('status', '=', status)
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}
