import type { Kysely } from 'kysely';

/*
 * Login returns both a session cookie and a bearer token. Linking the token to the session lets
 * logout (by either) end both, and a password change or reset end the tokens of ended sessions.
 * No foreign key: the session row is deleted when it ends, the revoked token stays for the record.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('api_tokens').addColumn('session_id', 'text').execute();
  await db.schema
    .createIndex('api_tokens_session_idx')
    .on('api_tokens')
    .column('session_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('api_tokens_session_idx').execute();
  await db.schema.alterTable('api_tokens').dropColumn('session_id').execute();
}
