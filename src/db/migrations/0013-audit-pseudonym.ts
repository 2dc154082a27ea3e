import type { Kysely } from 'kysely';

/*
 * When an account is deleted its audit rows stay (the trail outlives the account) but lose the
 * user: `user_id` becomes null and this column names the actor by a stable pseudonym
 * (`deleted-user:<hmac>`), so the rows of one departed user still read as one actor's.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_logs').addColumn('actor_pseudonym', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_logs').dropColumn('actor_pseudonym').execute();
}
