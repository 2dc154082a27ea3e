import type { Kysely } from 'kysely';

/*
 * An invitation sent from a case's share dialog carries the case and the role on it: accepting
 * it makes the new account a member of that case. Deleting the case cancels only that part (the
 * account is still created), so the reference is set to null rather than the invitation deleted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('invitations')
    .addColumn('case_id', 'text', (c) => c.references('missing_persons.id').onDelete('set null'))
    .execute();
  await db.schema.alterTable('invitations').addColumn('case_role', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('invitations').dropColumn('case_role').execute();
  await db.schema.alterTable('invitations').dropColumn('case_id').execute();
}
