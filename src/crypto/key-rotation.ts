import { existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import type { Executor } from '../db/database.js';
import { unwrapDataKey, wrapDataKey } from './keyring.js';
import {
  readKeySet,
  readMasterKey,
  writeMasterKey,
  writeNewMasterKey,
  type MasterKey,
  type MasterKeyFiles,
} from './master-key.js';

export interface RotationProgress {
  newKeyId: string;
  /** Rows re-wrapped by this run. */
  rewrapped: number;
  /** Rows still under another key (0 once done). */
  remaining: number;
  /** True once the new key is the current file and the old one is retired. */
  done: boolean;
}

const notUnder = (db: Executor, keyId: string) =>
  db.selectFrom('data_keys').where('master_key_id', '!=', keyId);

/** Re-wraps one data key with `next`; a row deleted or re-wrapped meanwhile is left alone. */
async function rewrapOne(db: Executor, loaded: MasterKey[], next: MasterKey): Promise<boolean> {
  const row = await notUnder(db, next.id).selectAll().orderBy('scope').limit(1).executeTakeFirst();
  if (!row) return false;
  const dataKey = unwrapDataKey(loaded, row);
  await db
    .updateTable('data_keys')
    .set({ wrapped_key: wrapDataKey(next, row.scope, dataKey), master_key_id: next.id })
    .where('scope', '=', row.scope)
    .where('master_key_id', '=', row.master_key_id)
    .execute();
  return true;
}

/** Retires the current key (a copy under retired/ first) and makes `.next` the current file. */
function promote(files: MasterKeyFiles, next: MasterKey): void {
  const current = readMasterKey(files.current);
  if (current.id !== next.id) {
    writeMasterKey(path.join(files.retiredDir, `${current.id}.key`), current);
  }
  renameSync(files.next, files.current);
}

/**
 * Master key rotation, resumable: writes `<key file>.next` (0600) unless present, re-wraps every
 * data key not yet under it (one row at a time, each its own statement, so an interrupted run
 * loses nothing and a rerun continues), then retires the old key and promotes the new one. Data
 * and files are not re-encrypted: only the wrapped data keys change. `limit` stops after that
 * many rows (for tests and small maintenance windows).
 */
export async function rotateMasterKey(
  db: Executor,
  files: MasterKeyFiles,
  options: { limit?: number } = {},
): Promise<RotationProgress> {
  const next = existsSync(files.next) ? readMasterKey(files.next) : writeNewMasterKey(files.next);
  const keys = readKeySet(files);
  if (!keys) throw new Error(`No master key at ${files.current}`);
  const loaded = [keys.current, next, ...keys.retired];
  let rewrapped = 0;
  while (rewrapped < (options.limit ?? Number.POSITIVE_INFINITY)) {
    if (!(await rewrapOne(db, loaded, next))) break;
    rewrapped += 1;
  }
  const { n } = await notUnder(db, next.id)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const remaining = Number(n);
  if (remaining === 0) promote(files, next);
  return { newKeyId: next.id, rewrapped, remaining, done: remaining === 0 };
}
