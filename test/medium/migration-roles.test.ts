import { describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/database.js';
import { migrateToLatest, migratorFor } from '../../src/db/migrate.js';
import { testDialects } from '../support/databases.js';

describe.each(testDialects)('the roles migration on $name', (dialect) => {
  it('makes the oldest user of an existing database admin and the others investigators; down undoes it', async () => {
    const database = await dialect.create();
    const db = createDatabase({ url: database.url });
    try {
      const migrator = migratorFor(db);
      const before = await migrator.migrateTo('0004-video-checksum-unique');
      expect(before.error).toBeUndefined();
      const user = (name: string, createdAt: string) => ({
        id: crypto.randomUUID(),
        username: name,
        email: `${name}@example.com`,
        password_hash: 'x',
        created_at: createdAt,
        updated_at: createdAt,
      });
      await db
        .insertInto('users')
        .values([
          user('second', '2026-02-01T00:00:00.000Z'),
          user('founder', '2026-01-01T00:00:00.000Z'),
          user('third', '2026-03-01T00:00:00.000Z'),
        ])
        .execute();

      await migrateToLatest(db);
      const roles = await db
        .selectFrom('users')
        .select(['username', 'role', 'disabled_at'])
        .orderBy('username')
        .execute();
      expect(roles).toEqual([
        { username: 'founder', role: 'admin', disabled_at: null },
        { username: 'second', role: 'investigator', disabled_at: null },
        { username: 'third', role: 'investigator', disabled_at: null },
      ]);
      await expect(
        db
          .updateTable('users')
          .set({ role: 'owner' as 'admin' })
          .where('username', '=', 'third')
          .execute(),
      ).rejects.toThrow();

      // Back to just before the roles migration (and the ones after it, which build on it).
      const down = await migrator.migrateTo('0005-sessions-and-tokens');
      expect(down.error).toBeUndefined();
      const tables = (await db.introspection.getTables()).map((table) => table.name);
      expect(tables).not.toContain('invitations');
      const users = tables.includes('users')
        ? (await db.introspection.getTables()).find((table) => table.name === 'users')
        : undefined;
      expect(users?.columns.map((column) => column.name)).not.toContain('role');
      expect((await migrateToLatest(db)).length).toBeGreaterThan(0);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
