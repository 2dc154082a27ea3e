import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/*
 * Envelope encryption: one data key per case and per user, stored only wrapped (encrypted) by
 * the master key, which lives outside the database. Deleting a row is crypto-shredding: every
 * file and field sealed with that key becomes unreadable, in backups too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { bytes } = columnTypes(db);
  await db.schema
    .createTable('data_keys')
    .addColumn('scope', 'text', (c) => c.primaryKey())
    .addColumn('wrapped_key', bytes, (c) => c.notNull())
    .addColumn('master_key_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('data_keys_master_key_id')
    .on('data_keys')
    .column('master_key_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('data_keys').execute();
}
