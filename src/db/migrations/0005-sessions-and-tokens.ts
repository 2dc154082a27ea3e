import type { Kysely } from 'kysely';
import { sqlIn } from './column-types.js';

const PERSONAL_TOKEN_DAYS = 90;

/*
 * Personal API tokens expire; e-mail addresses are confirmed before they change or receive alerts;
 * failed logins are counted per typed account name (not per user, so an unknown name is throttled
 * exactly like a known one and the throttle tells nothing about who exists).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('api_tokens').addColumn('expires_at', 'text').execute();
  // Tokens made before expiry existed get the default lifetime from now, rather than none.
  const expiresAt = new Date(Date.now() + PERSONAL_TOKEN_DAYS * 86_400_000).toISOString();
  const tokens = db as Kysely<{
    api_tokens: { expires_at: string | null; session_id: string | null };
  }>;
  await tokens
    .updateTable('api_tokens')
    .set({ expires_at: expiresAt })
    .where('session_id', 'is', null)
    .execute();

  await db.schema.alterTable('users').addColumn('email_verified_at', 'text').execute();

  await db.schema
    .createTable('email_confirmations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull().check(sqlIn('purpose', ['account', 'alert'])))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema
    .createIndex('email_confirmations_user_idx')
    .on('email_confirmations')
    .column('user_id')
    .execute();

  await db.schema
    .createTable('alert_recipients')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_recipients_pk', ['user_id', 'email'])
    .execute();

  await db.schema
    .createTable('login_failures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('login_failures_account_time_idx')
    .on('login_failures')
    .columns(['account', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('login_failures').execute();
  await db.schema.dropTable('alert_recipients').execute();
  await db.schema.dropTable('email_confirmations').execute();
  await db.schema.alterTable('users').dropColumn('email_verified_at').execute();
  await db.schema.alterTable('api_tokens').dropColumn('expires_at').execute();
}
