import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import type { Db, DialectName } from './database.js';

const run = promisify(execFile);

/**
 * A consistent copy of the SQLite database at `file`, made with SQLite's online backup API on a
 * connection of its own: the server keeps reading and writing (WAL) while it runs.
 */
export async function snapshotSqlite(file: string, target: string): Promise<void> {
  const source = new SQLite(file, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    await source.backup(target);
  } finally {
    source.close();
  }
}

/** pg_dump and pg_restore take the URL without its password, which goes in PGPASSWORD. */
function pgConnection(url: string) {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return {
    url: parsed.toString(),
    env: { ...process.env, ...(password && { PGPASSWORD: password }) },
  };
}

async function pgToolMajor(tool: 'pg_dump' | 'pg_restore'): Promise<number> {
  try {
    const { stdout } = await run(tool, ['--version']);
    return Number(/(\d+)(?:\.\d+)?/.exec(stdout)?.[1] ?? NaN);
  } catch {
    throw new Error(
      `${tool} is not installed: install the PostgreSQL client of the server's version`,
    );
  }
}

/** Fails unless the PostgreSQL client tools are at least as new as the server. */
async function checkPgTools(db: Db, tool: 'pg_dump' | 'pg_restore'): Promise<void> {
  const { rows } = await sql<{
    v: string;
  }>`select current_setting('server_version_num') as v`.execute(db);
  const server = Math.floor(Number(rows[0]?.v) / 10_000);
  const client = await pgToolMajor(tool);
  if (!(client >= server)) {
    throw new Error(
      `${tool} ${client} cannot handle PostgreSQL ${server}: install ${tool} ${server}`,
    );
  }
}

/** A consistent dump (one snapshot transaction) of the database, in pg_dump's custom format. */
export async function dumpPostgres(db: Db, url: string, target: string): Promise<void> {
  await checkPgTools(db, 'pg_dump');
  const connection = pgConnection(url);
  await run('pg_dump', ['--format=custom', '--no-owner', `--file=${target}`, connection.url], {
    env: connection.env,
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** Restores a custom-format dump into the (empty) database at `url`, all or nothing. */
export async function restorePostgres(db: Db, url: string, dump: string): Promise<void> {
  await checkPgTools(db, 'pg_restore');
  const connection = pgConnection(url);
  const args = ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction'];
  await run('pg_restore', [...args, `--dbname=${connection.url}`, dump], {
    env: connection.env,
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** True when the database holds no table at all (a fresh target for a restore). */
export async function isDatabaseEmpty(db: Db, dialect: DialectName): Promise<boolean> {
  const { rows } =
    dialect === 'postgres'
      ? await sql<{ n: number }>`select count(*)::int as n from information_schema.tables
          where table_schema not in ('pg_catalog', 'information_schema')`.execute(db)
      : await sql<{ n: number }>`select count(*) as n from sqlite_master
          where type = 'table' and name not like 'sqlite_%'`.execute(db);
  return Number(rows[0]?.n ?? 0) === 0;
}
