import { createDatabase, type Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { DbJobQueue, type DbJobQueueOptions } from '../../src/jobs/job.db-queue.js';
import { findJobByDedupeKey } from '../../src/jobs/job.repository.js';
import type { JobRow } from '../../src/db/tables/job.table.js';
import type { JobQueue } from '../../src/jobs/job.types.js';
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

/**
 * The contract of a job lane, for either queue implementation: with one shared slot taken by
 * nothing and a live-feed lane of one, a live job that never ends leaves the shared slot free for
 * a rendition, and a second live job waits for the lane rather than take the shared slot.
 */
export async function expectLaneBesideSharedSlots(
  jobs: JobQueue,
  completed: (dedupeKey: string) => Promise<unknown>,
): Promise<void> {
  const release = new AbortController();
  const watching: string[] = [];
  jobs.registerHandler('search.watch-live-feed', async ({ payload, signal }) => {
    watching.push(payload.searchVideoId);
    const ended = AbortSignal.any([signal, release.signal]);
    if (!ended.aborted) {
      await new Promise((resolve) => ended.addEventListener('abort', resolve, { once: true }));
    }
    return { status: 'success' };
  });
  jobs.registerHandler('video.make-rendition', () => Promise.resolve({ status: 'success' }));
  await jobs.start();
  const live = (id: string) =>
    jobs.enqueue('search.watch-live-feed', { searchId: 's', searchVideoId: id }, { dedupeKey: id });
  await live('feed-1');
  await waitFor(() => watching.length === 1, 'the first feed to be watched');
  await live('feed-2');
  await jobs.enqueue('video.make-rendition', { videoId: 'v' }, { dedupeKey: 'rendition' });
  await completed('rendition');
  const stats = await jobs.stats();
  if (watching.length !== 1 || stats.lanes['search.watch-live-feed']?.busy !== 1) {
    throw new Error(`the live lane ran ${watching.length} feeds at once`);
  }
  if (stats.workers.busy !== 0) throw new Error('a live feed took a shared slot');
  release.abort();
  await waitFor(() => watching.length === 2, 'the second feed once the lane was free');
}
