import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/database.js';
import { migrateToLatest, migratorFor } from '../../src/db/migrate.js';
import { testDialects } from '../support/databases.js';

const expectedTables = [
  'alert_recipients',
  'api_tokens',
  'appearances',
  'audit_logs',
  'backup_lock',
  'backup_runs',
  'case_members',
  'data_keys',
  'deferred_deletes',
  'detections',
  'email_confirmations',
  'facial_embeddings',
  'invitations',
  'jobs',
  'leases',
  'login_failures',
  'missing_persons',
  'password_resets',
  'person_photos',
  'search_videos',
  'searches',
  'sessions',
  'users',
  'videos',
];

describe.each(testDialects)('migrations on $name', (dialect) => {
  it('create the whole data model on an empty database and are a no-op the second time', async () => {
    const database = await dialect.create();
    const db = createDatabase({ url: database.url });
    try {
      expect(await migrateToLatest(db)).toEqual([
        '0001-initial',
        '0002-login-token-session',
        '0003-live-feeds',
        '0004-video-checksum-unique',
        '0005-sessions-and-tokens',
        '0006-roles-invitations',
        '0007-case-members',
        '0008-invitation-case',
        '0009-data-keys',
        '0010-case-retention',
        '0013-audit-pseudonym',
        '0014-backups',
      ]);
      expect(await migrateToLatest(db)).toEqual([]);
      const tables = (await db.introspection.getTables()).map((t) => t.name).sort();
      expect(tables).toEqual(expectedTables);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });

  it('undo the sessions-and-tokens migration and apply it again', async () => {
    const database = await dialect.create();
    const db = createDatabase({ url: database.url });
    try {
      await migrateToLatest(db);
      const { error } = await migratorFor(db).migrateTo('0004-video-checksum-unique');
      expect(error).toBeUndefined();
      const tables = await db.introspection.getTables();
      expect(tables.map((t) => t.name)).not.toContain('login_failures');
      const tokens = tables.find((t) => t.name === 'api_tokens');
      expect(tokens?.columns.map((c) => c.name)).not.toContain('expires_at');
      expect(await migrateToLatest(db)).toContain('0005-sessions-and-tokens');
    } finally {
      await db.destroy();
      await database.drop();
    }
  });

  it('refuse a case that points at a user who does not exist', async () => {
    const database = await dialect.create();
    const db = createDatabase({ url: database.url });
    try {
      await migrateToLatest(db);
      const now = new Date().toISOString();
      await expect(
        db
          .insertInto('missing_persons')
          .values({
            id: crypto.randomUUID(),
            owner_id: 'nobody',
            first_name: 'A',
            last_name: 'B',
            status: 'missing',
            created_at: now,
            updated_at: now,
          })
          .execute(),
      ).rejects.toThrow();
      const count = await sql<{ n: number }>`select count(*) as n from missing_persons`.execute(db);
      expect(Number(count.rows[0]?.n)).toBe(0);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });

  it('give every existing case its owner as a member, and drop case_members on the way down', async () => {
    const database = await dialect.create();
    const db = createDatabase({ url: database.url });
    try {
      const migrator = migratorFor(db);
      const before = await migrator.migrateTo('0004-video-checksum-unique');
      expect(before.error).toBeUndefined();
      const now = new Date().toISOString();
      const userId = crypto.randomUUID();
      const caseId = crypto.randomUUID();
      await db
        .insertInto('users')
        .values({
          id: userId,
          username: 'owner',
          email: 'owner@example.org',
          password_hash: 'x',
          created_at: now,
          updated_at: now,
        })
        .execute();
      await db
        .insertInto('missing_persons')
        .values({
          id: caseId,
          owner_id: userId,
          first_name: 'A',
          last_name: 'B',
          status: 'missing',
          created_at: now,
          updated_at: now,
        })
        .execute();

      await migrateToLatest(db);
      const members = await db
        .selectFrom('case_members')
        .select(['missing_person_id', 'user_id', 'role'])
        .execute();
      expect(members).toEqual([{ missing_person_id: caseId, user_id: userId, role: 'owner' }]);

      const down = await migrator.migrateTo('0006-roles-invitations');
      expect(down.error).toBeUndefined();
      expect(down.results?.map((r) => r.migrationName)).toEqual([
        '0014-backups',
        '0013-audit-pseudonym',
        '0010-case-retention',
        '0009-data-keys',
        '0008-invitation-case',
        '0007-case-members',
      ]);
      const tables = (await db.introspection.getTables()).map((t) => t.name);
      expect(tables).not.toContain('case_members');
      expect(tables).toContain('missing_persons');
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
