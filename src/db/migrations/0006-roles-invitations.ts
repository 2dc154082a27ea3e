import { sql, type Kysely } from 'kysely';
import { sqlIn } from './column-types.js';

const ROLES = ['admin', 'investigator', 'viewer'] as const;

/*
 * Roles and invitations. Every user gets a role (the oldest account of an existing install becomes
 * its admin, everyone else an investigator, which is what they could do before) and can be
 * disabled. An invitation is a single-use link stored, like a password reset, only as the hash of
 * its token; the row stays after use or revocation for the record.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('role', 'text', (c) =>
      c.notNull().defaultTo('investigator').check(sqlIn('role', ROLES)),
    )
    .execute();
  await db.schema.alterTable('users').addColumn('disabled_at', 'text').execute();
  await sql`update users set role = 'admin' where id = (
    select id from users order by created_at, id limit 1
  )`.execute(db);

  await db.schema
    .createTable('invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sqlIn('role', ROLES)))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('invited_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'text')
    .addColumn('accepted_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('invitations_email_idx').on('invitations').column('email').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('invitations').execute();
  await db.schema.alterTable('users').dropColumn('disabled_at').execute();
  await db.schema.alterTable('users').dropColumn('role').execute();
}
