import type { Kysely } from 'kysely';

/*
 * One upload of the same file per user: the service checks for a duplicate before it stores the
 * row, and this index settles the race of two identical uploads finishing at the same moment.
 * Live feeds have no checksum, and NULLs never collide.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('videos_owner_checksum_unique')
    .on('videos')
    .columns(['owner_id', 'checksum'])
    .unique()
    .execute();
  await db.schema.dropIndex('videos_owner_checksum_idx').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('videos_owner_checksum_idx')
    .on('videos')
    .columns(['owner_id', 'checksum'])
    .execute();
  await db.schema.dropIndex('videos_owner_checksum_unique').execute();
}
