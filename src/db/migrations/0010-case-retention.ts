import { sql, type Kysely } from 'kysely';

/*
 * Case lifecycle for retention: when a case was found or closed (`closed_at`, cleared when it is
 * reopened), how long it is kept after that (`retention_days`, null = RETENTION_DAYS) and a legal
 * hold (who placed it, when, why) that keeps it however old it is. Cases already found or closed
 * count from their last change. `leases` lets one process at a time run a maintenance task
 * (the daily retention purge) whichever queue or how many workers run it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('missing_persons').addColumn('closed_at', 'text').execute();
  await db.schema.alterTable('missing_persons').addColumn('retention_days', 'integer').execute();
  await db.schema
    .alterTable('missing_persons')
    .addColumn('legal_hold', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('missing_persons')
    .addColumn('legal_hold_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .execute();
  await db.schema.alterTable('missing_persons').addColumn('legal_hold_at', 'text').execute();
  await db.schema.alterTable('missing_persons').addColumn('legal_hold_reason', 'text').execute();
  await sql`update missing_persons set closed_at = updated_at where status in ('found', 'closed')`.execute(
    db,
  );
  await db.schema
    .createIndex('missing_persons_closed_idx')
    .on('missing_persons')
    .columns(['status', 'closed_at'])
    .execute();
  await db.schema
    .createTable('leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('leases').execute();
  await db.schema.dropIndex('missing_persons_closed_idx').execute();
  for (const column of [
    'legal_hold_reason',
    'legal_hold_at',
    'legal_hold_by',
    'legal_hold',
    'retention_days',
    'closed_at',
  ]) {
    await db.schema.alterTable('missing_persons').dropColumn(column).execute();
  }
}
