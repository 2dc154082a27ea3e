import { sql, type Kysely } from 'kysely';
import { sqlIn } from './column-types.js';

/*
 * Who may see and change a case: one row per (case, user) with the role `owner`, `editor` or
 * `viewer`. The owner has a row too, so every access check reads one table; existing cases get
 * their owner's row here. A user's rows go with the user; a case's rows go with the case.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('case_members')
    .addColumn('missing_person_id', 'text', (c) =>
      c.notNull().references('missing_persons.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sqlIn('role', ['owner', 'editor', 'viewer'])),
    )
    .addColumn('added_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_members_pk', ['missing_person_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('case_members_user_idx')
    .on('case_members')
    .column('user_id')
    .execute();
  await sql`
    insert into case_members (missing_person_id, user_id, role, added_by, created_at, updated_at)
    select id, owner_id, 'owner', owner_id, created_at, created_at from missing_persons
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('case_members').execute();
}
