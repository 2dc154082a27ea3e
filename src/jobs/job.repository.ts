import type { DialectName, Executor } from '../db/database.js';
import { newId, nowIso } from '../shared/clock.js';
import type { JobRow, JobStatus } from '../db/tables/job.table.js';
import type { EnqueueResult, JobName } from './job.types.js';

const finished: JobStatus[] = ['completed', 'failed', 'cancelled'];
const pending: JobStatus[] = ['queued', 'running'];

export interface JobInput {
  name: JobName;
  payload: unknown;
  dedupeKey: string;
  priority: number;
  maxAttempts: number;
  runAt: Date;
}

/** Inserts the job, or re-arms a finished one with the same key; a pending one is left alone. */
export async function insertOrRearmJob(db: Executor, input: JobInput): Promise<EnqueueResult> {
  const now = nowIso();
  const fields = {
    name: input.name,
    payload: JSON.stringify(input.payload),
    status: 'queued' as const,
    priority: input.priority,
    attempts: 0,
    max_attempts: input.maxAttempts,
    run_at: input.runAt.toISOString(),
    lease_until: null,
    locked_by: null,
    last_error: null,
    result: null,
    updated_at: now,
  };
  const inserted = await db
    .insertInto('jobs')
    .values({ id: newId(), dedupe_key: input.dedupeKey, created_at: now, ...fields })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { jobId: inserted.id, enqueued: true };

  // Cancelled while its handler still runs (a pause, then a resume): withdraw the cancellation
  // rather than start a second run beside the first. The worker keeps the job, or puts it back in
  // the queue if its handler already stopped.
  const resumed = await db
    .updateTable('jobs')
    .set({ status: 'running', updated_at: now })
    .where('dedupe_key', '=', input.dedupeKey)
    .where('status', '=', 'cancelled')
    .where('locked_by', 'is not', null)
    .where('lease_until', '>', now)
    .returning('id')
    .executeTakeFirst();
  if (resumed) return { jobId: resumed.id, enqueued: true };

  const rearmed = await db
    .updateTable('jobs')
    .set(fields)
    .where('dedupe_key', '=', input.dedupeKey)
    .where('status', 'in', finished)
    .returning('id')
    .executeTakeFirst();
  if (rearmed) return { jobId: rearmed.id, enqueued: true };

  const existing = await db
    .selectFrom('jobs')
    .select('id')
    .where('dedupe_key', '=', input.dedupeKey)
    .executeTakeFirstOrThrow();
  return { jobId: existing.id, enqueued: false };
}

/**
 * Atomically takes the most urgent due job among `names` and leases it to `token`. One UPDATE
 * statement: SQLite runs it as a single write transaction; on PostgreSQL `for update skip locked`
 * lets concurrent workers each take a different row instead of queueing on the same one.
 */
export async function claimNextJob(
  db: Executor,
  dialect: DialectName,
  names: JobName[],
  token: string,
  leaseUntil: string,
): Promise<JobRow | undefined> {
  if (names.length === 0) return undefined;
  const now = nowIso();
  const candidate = db
    .selectFrom('jobs')
    .select('id')
    .where('status', '=', 'queued')
    .where('run_at', '<=', now)
    .where('name', 'in', names)
    .orderBy('priority', 'desc')
    .orderBy('run_at', 'asc')
    .orderBy('created_at', 'asc')
    .limit(1)
    .$if(dialect === 'postgres', (qb) => qb.forUpdate().skipLocked());
  return db
    .updateTable('jobs')
    .set((eb) => ({
      status: 'running',
      attempts: eb('attempts', '+', 1),
      locked_by: token,
      lease_until: leaseUntil,
      updated_at: now,
    }))
    .where('id', '=', candidate)
    .where('status', '=', 'queued')
    .returningAll()
    .executeTakeFirst();
}

/**
 * Extends the lease. `cancelled`: someone cancelled the job; `lost`: the lease expired and the job
 * went back to the queue (or to another worker).
 */
export async function renewLease(
  db: Executor,
  id: string,
  token: string,
  leaseUntil: string,
): Promise<'held' | 'cancelled' | 'lost'> {
  const result = await db
    .updateTable('jobs')
    .set({ lease_until: leaseUntil, updated_at: nowIso() })
    .where('id', '=', id)
    .where('locked_by', '=', token)
    .where('status', '=', 'running')
    .executeTakeFirst();
  if (result.numUpdatedRows > 0n) return 'held';
  const row = await db
    .selectFrom('jobs')
    .select(['status', 'locked_by'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.status === 'cancelled' && row.locked_by === token ? 'cancelled' : 'lost';
}

export type JobOutcome =
  | { kind: 'completed'; result: unknown }
  | { kind: 'retry'; error: string; runAt: string }
  | { kind: 'failed'; error: string }
  /** Interrupted by a shutdown: back to the queue, and the attempt does not count. */
  | { kind: 'released' };

/** Records how an attempt ended, only if `token` still holds the job (fencing off stale workers). */
export async function finishJob(
  db: Executor,
  id: string,
  token: string,
  outcome: JobOutcome,
): Promise<boolean> {
  const now = nowIso();
  const base = db
    .updateTable('jobs')
    .where('id', '=', id)
    .where('locked_by', '=', token)
    .where('status', '=', 'running');
  const released = { lease_until: null, locked_by: null, updated_at: now };
  let query;
  switch (outcome.kind) {
    case 'completed':
      query = base.set({
        ...released,
        status: 'completed',
        result: JSON.stringify(outcome.result),
      });
      break;
    case 'retry':
      query = base.set({
        ...released,
        status: 'queued',
        last_error: outcome.error,
        run_at: outcome.runAt,
      });
      break;
    case 'failed':
      query = base.set({ ...released, status: 'failed', last_error: outcome.error });
      break;
    case 'released':
      query = base.set((eb) => ({
        ...released,
        status: 'queued',
        attempts: eb('attempts', '-', 1),
      }));
      break;
  }
  const result = await query.executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The handler of a cancelled job has stopped: the job no longer belongs to `token`. */
export async function releaseCancelledJob(db: Executor, id: string, token: string): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ lease_until: null, locked_by: null, updated_at: nowIso() })
    .where('id', '=', id)
    .where('locked_by', '=', token)
    .where('status', '=', 'cancelled')
    .execute();
}

const leaseExpiredError = 'the worker stopped responding (lease expired)';

/**
 * Puts jobs whose lease ran out (their worker died) back in the queue, or fails them when they
 * have used up their attempts. Returns how many were re-queued and failed.
 */
export async function reapExpiredLeases(
  db: Executor,
): Promise<{ requeued: number; failed: number }> {
  const now = nowIso();
  const failed = await db
    .updateTable('jobs')
    .set({
      status: 'failed',
      last_error: leaseExpiredError,
      lease_until: null,
      locked_by: null,
      updated_at: now,
    })
    .where('status', '=', 'running')
    .where('lease_until', '<', now)
    .whereRef('attempts', '>=', 'max_attempts')
    .executeTakeFirst();
  const requeued = await db
    .updateTable('jobs')
    .set({
      status: 'queued',
      last_error: leaseExpiredError,
      run_at: now,
      lease_until: null,
      locked_by: null,
      updated_at: now,
    })
    .where('status', '=', 'running')
    .where('lease_until', '<', now)
    .executeTakeFirst();
  return { requeued: Number(requeued.numUpdatedRows), failed: Number(failed.numUpdatedRows) };
}

/**
 * Cancels the pending job with this key; returns its id, or undefined when none was pending. A
 * running job keeps its lock until its handler has stopped (see `releaseCancelledJob`).
 */
export async function cancelJob(db: Executor, dedupeKey: string): Promise<string | undefined> {
  const row = await db
    .updateTable('jobs')
    .set({ status: 'cancelled', updated_at: nowIso() })
    .where('dedupe_key', '=', dedupeKey)
    .where('status', 'in', pending)
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** Names of jobs that are queued or running: each needs a handler before workers start. */
export async function pendingJobNames(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('jobs')
    .select('name')
    .distinct()
    .where('status', 'in', pending)
    .execute();
  return rows.map((row) => row.name);
}

export async function countJobsByStatus(db: Executor): Promise<Record<JobStatus, number>> {
  const rows = await db
    .selectFrom('jobs')
    .select(['status', (eb) => eb.fn.countAll<number | string>().as('count')])
    .groupBy('status')
    .execute();
  const counts: Record<JobStatus, number> = {
    queued: 0,
    running: 0,
    completed: 0,
    failed: 0,
    cancelled: 0,
  };
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
}

export async function findJobByDedupeKey(
  db: Executor,
  dedupeKey: string,
): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('dedupe_key', '=', dedupeKey).executeTakeFirst();
}
