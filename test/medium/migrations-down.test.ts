import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Db } from '../../src/db/database.js';
import {
  migrateDown,
  migrateToLatest,
  migrateUpOne,
  migrationStatus,
} from '../../src/db/migrate.js';
import { testDialects, type TestDatabase, type TestDialect } from '../support/databases.js';

const run = promisify(execFile);

/** Tables, columns, indexes and constraints: what a migration's `up` changes and `down` restores. */
async function schemaOf(db: Db, dialect: TestDialect['name']): Promise<unknown> {
  const tables = (await db.introspection.getTables())
    .filter((table) => !table.name.startsWith('kysely_'))
    .map((table) => ({
      name: table.name,
      columns: table.columns
        .map((c) => `${c.name} ${c.dataType} ${c.isNullable ? 'null' : 'not null'}`)
        .sort(),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const extras =
    dialect === 'sqlite'
      ? await sql<{ name: string; sql: string | null }>`
          select name, sql from sqlite_master
          where type in ('index', 'trigger', 'view') and tbl_name not like 'kysely_%'
          order by name`.execute(db)
      : await sql<{ name: string; sql: string }>`
          select indexname as name, indexdef as sql from pg_indexes
          where schemaname = 'public' and tablename not like 'kysely_%'
          union all
          select conname as name, pg_get_constraintdef(oid) as sql from pg_constraint
          where connamespace = 'public'::regnamespace and conrelid::regclass::text not like 'kysely_%'
          order by name, sql`.execute(db);
  return { tables, extras: extras.rows };
}

describe.each(testDialects)('migrations down on $name', (dialect) => {
  let database: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    database = await dialect.create();
    db = createDatabase({ url: database.url });
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  it('reverts every migration step by step to the schema before it, down to nothing, and applies them all again', async () => {
    const names = (await migrationStatus(db)).map((m) => m.name);
    expect(names.length).toBeGreaterThan(0);
    const before = [await schemaOf(db, dialect.name)];
    expect(before[0]).toEqual({ tables: [], extras: [] });
    for (const name of names) {
      expect(await migrateUpOne(db)).toEqual([name]);
      before.push(await schemaOf(db, dialect.name));
    }
    const latest = before.at(-1);

    for (let index = names.length - 1; index >= 0; index -= 1) {
      expect(await migrateDown(db)).toEqual([names[index]]);
      expect(await schemaOf(db, dialect.name), `after reverting ${names[index]}`).toEqual(
        before[index],
      );
    }
    expect(await migrateDown(db)).toEqual([]);
    expect((await migrationStatus(db)).every((m) => m.executedAt === undefined)).toBe(true);

    expect(await migrateToLatest(db)).toEqual(names);
    expect(await schemaOf(db, dialect.name)).toEqual(latest);
  });

  it('reverts to a named migration, or all of them with none', async () => {
    await migrateToLatest(db);
    const names = (await migrationStatus(db)).map((m) => m.name);
    expect(await migrateDown(db, names[0])).toEqual(names.slice(1).reverse());
    expect((await migrationStatus(db)).filter((m) => m.executedAt).map((m) => m.name)).toEqual([
      names[0],
    ]);
    expect(await migrateDown(db, 'none')).toEqual([names[0]]);
    await expect(migrateDown(db, 'no-such-migration')).rejects.toThrow(/No migration named/);
  });
});

// Each run of the script costs seconds of start-up: one dialect (PostgreSQL when available) is enough.
describe.each(testDialects.slice(-1))('npm run migrate on $name', (dialect) => {
  let database: TestDatabase;
  let dataDir: string;
  beforeAll(async () => {
    database = await dialect.create();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'mpf-migrate-cli-'));
  });
  afterAll(async () => {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const migrate = async (...args: string[]) => {
    const { stdout } = await run('node', ['--import', 'tsx', 'scripts/migrate.ts', ...args], {
      env: {
        ...process.env,
        LOG_LEVEL: 'silent',
        DATA_DIR: dataDir,
        DATABASE_URL: dialect.name === 'postgres' ? database.url : '',
      },
    });
    return stdout.trim().split('\n');
  };

  it('shows status, applies with up, reverts the last one with down', async () => {
    const pending = await migrate('status');
    expect(pending[0]).toMatch(/^pending {2}0001-initial$/);
    expect(pending.every((line) => line.startsWith('pending'))).toBe(true);

    expect((await migrate('up'))[0]).toMatch(/^Applied: 0001-initial, /);
    const applied = await migrate('status');
    expect(applied.every((line) => line.startsWith('applied'))).toBe(true);

    const last = applied.at(-1)?.split(/\s+/)[1];
    expect(await migrate('down')).toEqual([`Reverted: ${last}`]);
    const db = createDatabase({
      url: dialect.name === 'postgres' ? database.url : path.join(dataDir, 'app.db'),
    });
    try {
      expect((await migrationStatus(db)).at(-1)).toEqual({ name: last, executedAt: undefined });
    } finally {
      await db.destroy();
    }
  });
});
