import { sql } from 'kysely';
import type { Db, DialectName } from './database.js';

/**
 * After a purge on SQLite: VACUUM rebuilds the file without the free pages (secure_delete already
 * zeroed the deleted rows in them), and a TRUNCATE checkpoint empties the write-ahead log, which
 * still holds earlier copies of the changed pages. Kysely runs SQLite statements one at a time on
 * its one connection, so this waits for any open transaction and nothing runs beside it.
 * PostgreSQL reclaims space with its autovacuum; nothing to do here.
 */
export async function compactAfterPurge(db: Db, dialect: DialectName): Promise<boolean> {
  if (dialect !== 'sqlite') return false;
  await sql`vacuum`.execute(db);
  await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
  return true;
}
