import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import type { DbJobQueue } from '../../src/jobs/job.db-queue.js';
import { findJobByDedupeKey } from '../../src/jobs/job.repository.js';
import type { JobInterruption, JobInterruptionKind } from '../../src/jobs/job.types.js';
import { testDialects } from '../support/databases.js';
import {
  expectLaneBesideSharedSlots,
  jobWithStatus,
  openJobsDatabase,
  sleep,
  testQueue,
  waitFor,
} from '../support/jobs.js';

describe.each(testDialects)('database job queue on $name', (dialect) => {
  let db: Db;
  let database: Awaited<ReturnType<typeof openJobsDatabase>>;
  const queues: DbJobQueue[] = [];
  const queue = (options: Parameters<typeof testQueue>[2] = {}) => {
    const created = testQueue(db, dialect, options);
    queues.push(created);
    return created;
  };

  beforeEach(async () => {
    database = await openJobsDatabase(dialect);
    db = database.db;
  });

  afterEach(async () => {
    for (const created of queues.splice(0)) await created.stop(500);
    await database.close();
  });

  it('runs a job enqueued twice with the same dedupe key only once', async () => {
    const jobs = queue();
    const runs: string[] = [];
    jobs.registerHandler('video.make-rendition', async ({ payload }) => {
      runs.push(payload.videoId);
      return Promise.resolve({ status: 'success' });
    });
    const first = await jobs.enqueue(
      'video.make-rendition',
      { videoId: 'v1' },
      { dedupeKey: 'r:v1' },
    );
    const second = await jobs.enqueue(
      'video.make-rendition',
      { videoId: 'v1' },
      { dedupeKey: 'r:v1' },
    );
    expect(first.enqueued).toBe(true);
    expect(second).toEqual({ jobId: first.jobId, enqueued: false });

    await jobs.start();
    await jobWithStatus(db, 'r:v1', 'completed');
    await sleep(200);
    expect(runs).toEqual(['v1']);
  });

  it('queues a finished key anew, so a paused search can be resumed with the same key', async () => {
    const jobs = queue();
    let runs = 0;
    jobs.registerHandler('video.make-rendition', () => {
      runs += 1;
      return Promise.resolve({ status: 'success' });
    });
    await jobs.start();
    await jobs.enqueue('video.make-rendition', { videoId: 'v1' }, { dedupeKey: 'r:v1' });
    await jobWithStatus(db, 'r:v1', 'completed');
    const again = await jobs.enqueue(
      'video.make-rendition',
      { videoId: 'v1' },
      { dedupeKey: 'r:v1' },
    );
    expect(again.enqueued).toBe(true);
    await waitFor(() => runs === 2, 'the second run');
    expect((await jobWithStatus(db, 'r:v1', 'completed')).attempts).toBe(1);
  });

  it('takes higher priority first, then the earliest due', async () => {
    const jobs = queue({ concurrency: 1 });
    const order: string[] = [];
    jobs.registerHandler('video.make-rendition', ({ payload }) => {
      order.push(payload.videoId);
      return Promise.resolve({ status: 'success' });
    });
    const base = Date.now() - 10_000;
    const at = (ms: number) => new Date(base + ms);
    await jobs.enqueue(
      'video.make-rendition',
      { videoId: 'low' },
      { dedupeKey: 'low', priority: -5 },
    );
    await jobs.enqueue(
      'video.make-rendition',
      { videoId: 'normal-later' },
      { dedupeKey: 'n2', runAt: at(2) },
    );
    await jobs.enqueue(
      'video.make-rendition',
      { videoId: 'normal-earlier' },
      { dedupeKey: 'n1', runAt: at(1) },
    );
    await jobs.enqueue(
      'video.make-rendition',
      { videoId: 'urgent' },
      { dedupeKey: 'u', priority: 10 },
    );
    await jobs.start();
    await waitFor(() => order.length === 4, 'all four jobs');
    expect(order).toEqual(['urgent', 'normal-earlier', 'normal-later', 'low']);
  });

  it('does not run a job before its runAt', async () => {
    const jobs = queue();
    let ranAt = 0;
    jobs.registerHandler('video.make-rendition', () => {
      ranAt = Date.now();
      return Promise.resolve({ status: 'success' });
    });
    await jobs.start();
    const due = Date.now() + 400;
    await jobs.enqueue(
      'video.make-rendition',
      { videoId: 'v' },
      { dedupeKey: 'later', runAt: new Date(due) },
    );
    await jobWithStatus(db, 'later', 'completed');
    expect(ranAt).toBeGreaterThanOrEqual(due);
  });

  it('retries a failing job with growing delays until it succeeds', async () => {
    const jobs = queue({ retryBaseMs: 150 });
    const attempts: { attempt: number; at: number }[] = [];
    jobs.registerHandler('video.make-rendition', ({ attempt }) => {
      attempts.push({ attempt, at: Date.now() });
      if (attempt === 1) throw new Error('ffmpeg crashed');
      if (attempt === 2) return Promise.resolve({ status: 'failed', reason: 'disk full' });
      return Promise.resolve({ status: 'success' });
    });
    await jobs.start();
    await jobs.enqueue(
      'video.make-rendition',
      { videoId: 'v' },
      { dedupeKey: 'flaky', maxAttempts: 3 },
    );
    const row = await jobWithStatus(db, 'flaky', 'completed');

    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    const firstGap = attempts[1]!.at - attempts[0]!.at;
    const secondGap = attempts[2]!.at - attempts[1]!.at;
    expect(firstGap).toBeGreaterThanOrEqual(150);
    expect(secondGap).toBeGreaterThanOrEqual(300);
    expect(row.attempts).toBe(3);
    expect(row.last_error).toBe('disk full');
    expect(JSON.parse(row.result ?? '{}')).toEqual({ status: 'success' });
  });

  it('fails a job for good after maxAttempts and keeps the last error', async () => {
    const jobs = queue({ retryBaseMs: 20 });
    let runs = 0;
    jobs.registerHandler('video.make-rendition', () => {
      runs += 1;
      throw new Error(`camera file unreadable (run ${runs})`);
    });
    await jobs.start();
    await jobs.enqueue(
      'video.make-rendition',
      { videoId: 'v' },
      { dedupeKey: 'bad', maxAttempts: 2 },
    );
    const row = await jobWithStatus(db, 'bad', 'failed');
    await sleep(200);
    expect(runs).toBe(2);
    expect(row.attempts).toBe(2);
    expect(row.last_error).toBe('camera file unreadable (run 2)');
  });

  it('does not retry a failure marked retry: false', async () => {
    const jobs = queue();
    let runs = 0;
    jobs.registerHandler('video.make-rendition', () => {
      runs += 1;
      return Promise.resolve({ status: 'failed', reason: 'not a video', retry: false });
    });
    await jobs.start();
    await jobs.enqueue('video.make-rendition', { videoId: 'v' }, { dedupeKey: 'final' });
    const row = await jobWithStatus(db, 'final', 'failed');
    expect(runs).toBe(1);
    expect(row.last_error).toBe('not a video');
  });

  it('records a skipped job as completed with its reason', async () => {
    const jobs = queue();
    jobs.registerHandler('video.make-rendition', () =>
      Promise.resolve({ status: 'skipped', reason: 'already browser-playable' }),
    );
    await jobs.start();
    await jobs.enqueue('video.make-rendition', { videoId: 'v' }, { dedupeKey: 'skip' });
    const row = await jobWithStatus(db, 'skip', 'completed');
    expect(JSON.parse(row.result ?? '{}')).toEqual({
      status: 'skipped',
      reason: 'already browser-playable',
    });
  });

  it('runs live feeds in a lane of their own, never in the shared slots', async () => {
    const jobs = queue({ concurrency: 1, lanes: { 'search.watch-live-feed': 1 } });
    await expectLaneBesideSharedSlots(jobs, (key) => jobWithStatus(db, key, 'completed'));
  });

  it('never runs more handlers at once than its concurrency', async () => {
    const jobs = queue({ concurrency: 2 });
    let active = 0;
    let peak = 0;
    let peakBusy = 0;
    jobs.registerHandler('video.make-rendition', async () => {
      active += 1;
      peak = Math.max(peak, active);
      peakBusy = Math.max(peakBusy, (await jobs.stats()).workers.busy);
      await sleep(150);
      active -= 1;
      return { status: 'success' };
    });
    for (let i = 0; i < 6; i += 1) {
      await jobs.enqueue('video.make-rendition', { videoId: `v${i}` }, { dedupeKey: `c${i}` });
    }
    await jobs.start();
    await waitFor(async () => (await jobs.stats()).counts.completed === 6, 'six completed jobs');
    expect(peak).toBe(2);
    expect(peakBusy).toBe(2);
    expect(await jobs.stats()).toEqual({
      counts: { queued: 0, running: 0, completed: 6, failed: 0, cancelled: 0 },
      workers: { busy: 0, concurrency: 2 },
      lanes: {},
    });
  });

  it('shares the work between two workers on one database without running any job twice', async () => {
    const ran: string[] = [];
    const workers = [queue({ concurrency: 3, pollMs: 10 }), queue({ concurrency: 3, pollMs: 10 })];
    for (const worker of workers) {
      worker.registerHandler('video.make-rendition', async ({ payload }) => {
        ran.push(payload.videoId);
        await sleep(20);
        return { status: 'success' };
      });
    }
    const ids = Array.from({ length: 30 }, (_, i) => `v${i}`);
    for (const id of ids) {
      await workers[0]!.enqueue('video.make-rendition', { videoId: id }, { dedupeKey: id });
    }
    await Promise.all(workers.map((worker) => worker.start()));
    await waitFor(async () => (await workers[0]!.stats()).counts.completed === 30, 'all 30 jobs');
    expect([...ran].sort()).toEqual([...ids].sort());
  });

  it('cancels a queued job so it never runs', async () => {
    const jobs = queue();
    let runs = 0;
    jobs.registerHandler('video.make-rendition', () => {
      runs += 1;
      return Promise.resolve({ status: 'success' });
    });
    await jobs.enqueue('video.make-rendition', { videoId: 'v' }, { dedupeKey: 'doomed' });
    expect(await jobs.cancel('doomed')).toBe(true);
    expect(await jobs.cancel('doomed')).toBe(false);
    expect(await jobs.cancel('never-enqueued')).toBe(false);
    await jobs.start();
    await sleep(300);
    expect(runs).toBe(0);
    expect((await findJobByDedupeKey(db, 'doomed'))?.status).toBe('cancelled');
  });

  it('aborts the signal of a running job when it is cancelled', async () => {
    const jobs = queue();
    let reason: JobInterruptionKind | undefined;
    jobs.registerHandler('video.make-rendition', async ({ signal }) => {
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      reason = (signal.reason as JobInterruption).kind;
      return { status: 'success' };
    });
    await jobs.start();
    await jobs.enqueue('video.make-rendition', { videoId: 'v' }, { dedupeKey: 'running' });
    await jobWithStatus(db, 'running', 'running');
    expect(await jobs.cancel('running')).toBe(true);
    await waitFor(() => reason, 'the handler to see the abort');
    expect(reason).toBe('cancelled');
    await sleep(100);
    expect((await findJobByDedupeKey(db, 'running'))?.status).toBe('cancelled');
  });

  it('notices a cancellation made by another process at its next heartbeat', async () => {
    const worker = queue({ leaseMs: 600 });
    const elsewhere = queue();
    let aborted = false;
    worker.registerHandler('video.make-rendition', async ({ signal }) => {
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      aborted = (signal.reason as JobInterruption).kind === 'cancelled';
      return { status: 'success' };
    });
    await worker.start();
    await worker.enqueue('video.make-rendition', { videoId: 'v' }, { dedupeKey: 'remote' });
    await jobWithStatus(db, 'remote', 'running');
    expect(await elsewhere.cancel('remote')).toBe(true);
    await waitFor(() => aborted, 'the handler to be aborted', 2_000);
  });

  it('resumes a job paused while running without ever running it twice at once', async () => {
    const jobs = queue({ concurrency: 2 });
    let active = 0;
    let peak = 0;
    const attempts: number[] = [];
    jobs.registerHandler('video.make-rendition', async ({ signal, attempt }) => {
      attempts.push(attempt);
      active += 1;
      peak = Math.max(peak, active);
      if (attempts.length === 1) {
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        await sleep(200); // reaching its next checkpoint
      }
      active -= 1;
      return { status: 'success' };
    });
    await jobs.start();
    await jobs.enqueue('video.make-rendition', { videoId: 'v' }, { dedupeKey: 'paused' });
    await jobWithStatus(db, 'paused', 'running');
    expect(await jobs.cancel('paused')).toBe(true);
    const resumed = await jobs.enqueue(
      'video.make-rendition',
      { videoId: 'v' },
      { dedupeKey: 'paused' },
    );
    expect(resumed.enqueued).toBe(true);
    await waitFor(() => attempts.length === 2 && active === 0, 'the resumed run');
    await jobWithStatus(db, 'paused', 'completed');
    expect(peak).toBe(1);
    expect(attempts).toEqual([1, 1]);
  });

  it('refuses a second handler for one job name', () => {
    const jobs = queue();
    const handler = () => Promise.resolve({ status: 'success' as const });
    jobs.registerHandler('video.make-rendition', handler);
    expect(() => jobs.registerHandler('video.make-rendition', handler)).toThrow(
      /already registered/,
    );
  });

  it('refuses to start while jobs wait whose name has no handler', async () => {
    const jobs = queue();
    jobs.registerHandler('video.make-rendition', () => Promise.resolve({ status: 'success' }));
    await jobs.enqueue(
      'search.analyse-video',
      { searchId: 's', searchVideoId: 'sv' },
      { dedupeKey: 'orphan' },
    );
    await expect(jobs.start()).rejects.toThrow(/no handler registered: search\.analyse-video/);
  });

  it('rejects a priority outside -1000..1000', async () => {
    const jobs = queue();
    await expect(
      jobs.enqueue('video.make-rendition', { videoId: 'v' }, { dedupeKey: 'p', priority: 5000 }),
    ).rejects.toThrow(/priority/);
  });
});
