import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type SqliteDatabase,
  type SqliteStatement,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import type {
  AlertRecipientsTable,
  ApiTokensTable,
  EmailConfirmationsTable,
  LoginFailuresTable,
  InvitationsTable,
  PasswordResetsTable,
  SessionsTable,
  UsersTable,
} from './tables/auth.table.js';
import type { AuditLogsTable } from './tables/audit.table.js';
import type {
  BackupLockTable,
  BackupRunsTable,
  DeferredDeletesTable,
} from './tables/backup.table.js';
import type {
  FacialEmbeddingsTable,
  MissingPersonsTable,
  PersonPhotosTable,
} from './tables/case.table.js';
import type { CaseMembersTable } from './tables/case-member.table.js';
import type { DataKeysTable } from './tables/data-key.table.js';
import type { JobsTable } from './tables/job.table.js';
import type { LeasesTable } from './tables/lease.table.js';
import type {
  AppearancesTable,
  DetectionsTable,
  SearchesTable,
  SearchVideosTable,
} from './tables/search.table.js';
import type { VideosTable } from './tables/video.table.js';

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  password_resets: PasswordResetsTable;
  email_confirmations: EmailConfirmationsTable;
  alert_recipients: AlertRecipientsTable;
  login_failures: LoginFailuresTable;
  invitations: InvitationsTable;
  missing_persons: MissingPersonsTable;
  case_members: CaseMembersTable;
  person_photos: PersonPhotosTable;
  facial_embeddings: FacialEmbeddingsTable;
  videos: VideosTable;
  searches: SearchesTable;
  search_videos: SearchVideosTable;
  appearances: AppearancesTable;
  detections: DetectionsTable;
  audit_logs: AuditLogsTable;
  jobs: JobsTable;
  data_keys: DataKeysTable;
  leases: LeasesTable;
  backup_lock: BackupLockTable;
  deferred_deletes: DeferredDeletesTable;
  backup_runs: BackupRunsTable;
}

export type Db = Kysely<Database>;
/** Repositories take either the database or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;
export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseOptions {
  /** A postgres:// URL, or a path to the SQLite file (":memory:" for a throwaway one). */
  url: string;
  poolSize?: number;
}

// PostgreSQL returns BIGINT (file sizes, counts) as strings; the values used here fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

export function dialectOf(url: string): DialectName {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite';
}

/** Prepared statements kept per SQLite database; the oldest is dropped past this. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every query anew: under load, compiling the same few dozen
 * statements again was a tenth of the web process's CPU. A statement is reusable with other
 * parameters, and the driver runs one query at a time on its one connection (a stream holds it to
 * the end), so a statement is never in use twice at once. SQLite re-prepares a kept statement
 * itself when a migration changes the schema under it.
 */
function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => database.close(),
    prepare(sql) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = database.prepare(sql);
        if (statements.size >= STATEMENT_CACHE_SIZE) {
          const oldest = statements.keys().next();
          if (!oldest.done) statements.delete(oldest.value);
        }
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

export function createDatabase({ url, poolSize = 10 }: DatabaseOptions): Db {
  if (dialectOf(url) === 'postgres') {
    return new Kysely<Database>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: poolSize }) }),
    });
  }
  if (url !== ':memory:') mkdirSync(path.dirname(path.resolve(url)), { recursive: true });
  const sqlite = new SQLite(url);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  // Deleted rows (names, embeddings, wrapped keys) are overwritten, not left in free pages.
  sqlite.pragma('secure_delete = ON');
  return new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  });
}
