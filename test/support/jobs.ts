import { createDatabase, type Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { DbJobQueue, type DbJobQueueOptions } from '../../src/jobs/job.db-queue.js';
import { findJobByDedupeKey } from '../../src/jobs/job.repository.js';
import type { JobRow } from '../../src/db/tables/job.table.js';
import type { TestDatabase, TestDialect } from './databases.js';

export const silentLogger = { warn: () => undefined, error: () => undefined };

/** A fresh, migrated database of one dialect for one test. */
export async function openJobsDatabase(
  dialect: TestDialect,
): Promise<{ db: Db; database: TestDatabase; close(): Promise<void> }> {
  const database = await dialect.create();
  const db = createDatabase({ url: database.url });
  await migrateToLatest(db);
  return {
    db,
    database,
    async close() {
      await db.destroy();
      await database.drop();
    },
  };
}

/** Database queues (workers) on one fresh database, as the queue contract and recovery tests use them. */
export interface DbQueues {
  db: Db;
  database: TestDatabase;
  queue(options?: Partial<DbJobQueueOptions>): DbJobQueue;
  stored(dedupeKey: string): Promise<StoredDbJob | undefined>;
  keepsCancelledJobs: true;
  close(): Promise<void>;
}

export interface StoredDbJob {
  state: JobRow['status'];
  attempts: number;
  lastError: string | null;
  result: unknown;
  locked: boolean;
}

/** A fresh migrated database of `dialect` and a way to start test-sized queues on it. */
export async function openDbQueues(dialect: TestDialect): Promise<DbQueues> {
  const opened = await openJobsDatabase(dialect);
  const queues: DbJobQueue[] = [];
  return {
    db: opened.db,
    database: opened.database,
    queue(options = {}) {
      const created = testQueue(opened.db, dialect, options);
      queues.push(created);
      return created;
    },
    async stored(dedupeKey) {
      const row = await findJobByDedupeKey(opened.db, dedupeKey);
      if (!row) return undefined;
      return {
        state: row.status,
        attempts: row.attempts,
        lastError: row.last_error,
        result: row.result === null ? null : (JSON.parse(row.result) as unknown),
        locked: row.locked_by !== null,
      };
    },
    keepsCancelledJobs: true,
    async close() {
      for (const created of queues.splice(0)) await created.stop(500);
      await opened.close();
    },
  };
}

/** A queue with test-sized timings: fast polls, short leases and backoffs. */
export function testQueue(
  db: Db,
  dialect: TestDialect,
  options: Partial<DbJobQueueOptions> = {},
): DbJobQueue {
  return new DbJobQueue({
    db,
    dialect: dialect.name,
    concurrency: 2,
    leaseMs: 3_000,
    pollMs: 50,
    retryBaseMs: 100,
    stopTimeoutMs: 2_000,
    logger: silentLogger,
    ...options,
  });
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function jobWithStatus(
  db: Db,
  dedupeKey: string,
  status: JobRow['status'],
): Promise<JobRow> {
  return waitFor(async () => {
    const row = await findJobByDedupeKey(db, dedupeKey);
    return row?.status === status ? row : undefined;
  }, `job ${dedupeKey} to be ${status}`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
