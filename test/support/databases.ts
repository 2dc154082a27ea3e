import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** A database made for one test file, on one dialect, and thrown away after it. */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export interface TestDialect {
  name: 'sqlite' | 'postgres';
  create(): Promise<TestDatabase>;
}

const adminUrl = process.env.TEST_DATABASE_URL;

const sqlite: TestDialect = {
  name: 'sqlite',
  create() {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mpf-db-'));
    return Promise.resolve({
      url: path.join(dir, 'app.db'),
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    });
  },
};

const postgres: TestDialect = {
  name: 'postgres',
  async create() {
    if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
    const name = `mpf_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      async drop() {
        const client = new pg.Client({ connectionString: adminUrl });
        await client.connect();
        // A closed pool's connections may still be logging off; forcing the drop while they do
        // surfaces as an unhandled "terminating connection" error in the test that closed them.
        await waitForNoConnections(client, name);
        await client.query(`drop database if exists ${name} with (force)`);
        await client.end();
      },
    };
  },
};

async function waitForNoConnections(client: pg.Client, database: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const { rows } = await client.query<{ n: string }>(
      'select count(*) as n from pg_stat_activity where datname = $1',
      [database],
    );
    if (Number(rows[0]?.n) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

if (!adminUrl) {
  console.warn(
    '[tests] TEST_DATABASE_URL is unset: PostgreSQL variants are skipped. ' +
      'Set it (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run them; .ci/run always does.',
  );
}

/** The dialects every data test runs against: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const testDialects: TestDialect[] = adminUrl ? [sqlite, postgres] : [sqlite];
