import type { JobContext, JobQueue, JobResult } from '../jobs/job.types.js';
import { runRetention, type RetentionDeps } from './retention.service.js';

/** The daily run starts at this UTC hour (a quiet hour in most places). */
const DAILY_HOUR_UTC = 3;

/** One queue key per UTC day: while a day's run is queued or running, asking again changes nothing. */
export const retentionJobKey = (day: Date): string => `retention:${day.toISOString().slice(0, 10)}`;

/** The next daily run after `now`: tomorrow at DAILY_HOUR_UTC. */
export function nextDailyRun(now: Date): Date {
  const next = new Date(now);
  next.setUTCDate(next.getUTCDate() + 1);
  next.setUTCHours(DAILY_HOUR_UTC, 0, 0, 0);
  return next;
}

/** Queues a run now (start-up) or at `runAt` (the next day's run), once per day's key. */
export async function scheduleRetention(
  queue: Pick<JobQueue, 'enqueue'>,
  runAt: Date = new Date(),
): Promise<void> {
  await queue.enqueue(
    'maintenance.retention',
    { scheduledFor: runAt.toISOString() },
    { dedupeKey: retentionJobKey(runAt), runAt, priority: -100, maxAttempts: 3 },
  );
}

/**
 * Handler of `maintenance.retention`: queues tomorrow's run first (so the chain survives a failed
 * run), then purges what is due. Several workers may hold such a job; the lease inside
 * `runRetention` lets one purge at a time, and a run finding it taken is skipped.
 */
export function makeRetentionHandler(deps: RetentionDeps & { queue: JobQueue }) {
  return async function retentionHandler(
    _job: JobContext<'maintenance.retention'>,
  ): Promise<JobResult> {
    await scheduleRetention(deps.queue, nextDailyRun(new Date()));
    const report = await runRetention(deps);
    if (report.status === 'busy') {
      return { status: 'skipped', reason: 'another process is running the retention purge' };
    }
    return { status: 'success' };
  };
}
