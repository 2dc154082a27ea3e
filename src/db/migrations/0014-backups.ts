import type { Kysely } from 'kysely';
import { columnTypes, sqlIn } from './column-types.js';

/*
 * Backups: one lease so that a single backup runs at a time across processes (and deletions of
 * stored files wait for it), the deletions it deferred, and a record of each run for health.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { bigint } = columnTypes(db);
  await db.schema
    .createTable('backup_lock')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('deferred_deletes')
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('is_prefix', 'integer', (c) => c.notNull())
    .addColumn('deferred_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('deferred_deletes_pk', ['storage_key', 'is_prefix'])
    .execute();
  await db.schema
    .createTable('backup_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sqlIn('kind', ['scheduled', 'manual'])))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sqlIn('status', ['running', 'succeeded', 'failed'])),
    )
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('file', 'text')
    .addColumn('size_bytes', bigint)
    .addColumn('error', 'text')
    .execute();
  await db.schema
    .createIndex('backup_runs_status_finished')
    .on('backup_runs')
    .columns(['status', 'finished_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('backup_runs').execute();
  await db.schema.dropTable('deferred_deletes').execute();
  await db.schema.dropTable('backup_lock').execute();
}
