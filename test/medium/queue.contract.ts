import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobInterruption, JobInterruptionKind, JobQueue } from '../../src/jobs/job.types.js';
import { sleep, waitFor } from '../support/jobs.js';

/** The timings and lanes a contract test asks of a queue; each implementation maps them. */
export interface ContractQueueOptions {
  concurrency?: number;
  lanes?: Partial<Record<'search.watch-live-feed', number>>;
  retryBaseMs?: number;
  /** How long a running job stays claimed without a heartbeat (the lease or the lock). */
  leaseMs?: number;
}

/** A job as its store holds it, in the words of the database queue. */
export interface StoredJob {
  state: 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
  attempts: number;
  lastError: string | null;
  result: unknown;
  /** Whether a worker still holds the job. */
  locked: boolean;
}

/** One implementation on a fresh store, for one test. */
export interface QueueUnderTest {
  /** A new queue (a worker) on the shared store; closed by `close()`. */
  queue(options?: ContractQueueOptions): JobQueue;
  /** The job of `dedupeKey`, or undefined when the store holds nothing under it. */
  stored(dedupeKey: string): Promise<StoredJob | undefined>;
  /** Whether a cancelled queued job stays in the store (as `cancelled`) or is removed from it. */
  keepsCancelledJobs: boolean;
  close(): Promise<void>;
}

/** Settles when `signal` aborts, at once if it already has (a stop or cancel may beat the handler). */
function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}

/** Waits until the job of `dedupeKey` is in `state`, and answers it. */
async function inState(
  store: QueueUnderTest,
  dedupeKey: string,
  state: StoredJob['state'],
): Promise<StoredJob> {
  return waitFor(async () => {
    const job = await store.stored(dedupeKey);
    return job?.state === state ? job : undefined;
  }, `job ${dedupeKey} to be ${state}`);
}

/**
 * What every JobQueue promises (src/jobs/job.types.ts), run against one implementation:
 * `describeQueueContract('database job queue on sqlite', () => openDbQueues(...))`.
 */
export function describeQueueContract(name: string, open: () => Promise<QueueUnderTest>): void {
  describe(`${name}: the JobQueue contract`, () => {
    let store: QueueUnderTest;
    const current: Store = {
      queue: (options) => store.queue(options),
      stored: (key) => store.stored(key),
      settled: (key, state) => inState(store, key, state),
      keepsCancelledJobs: () => store.keepsCancelledJobs,
    };

    beforeEach(async () => {
      store = await open();
    });
    afterEach(() => store.close());

    describeDedupeAndOrder(current);
    describeRetries(current);
    describeConcurrency(current);
    describeCancellation(current);
    describeRegistration(current);
  });
}

/** The implementation of the running test, as the contract's tests reach it. */
interface Store {
  queue: (options?: ContractQueueOptions) => JobQueue;
  stored: (dedupeKey: string) => Promise<StoredJob | undefined>;
  /** Waits until the job of `dedupeKey` is in `state`, and answers it. */
  settled: (dedupeKey: string, state: StoredJob['state']) => Promise<StoredJob>;
  keepsCancelledJobs: () => boolean;
}

function describeDedupeAndOrder({ queue, settled }: Store): void {
  it('runs a job enqueued twice with the same dedupe key only once', async () => {
    const jobs = queue();
    const runs: string[] = [];
    jobs.registerHandler('video.make-rendition', async ({ payload }) => {
      runs.push(payload.videoId);
      return Promise.resolve({ status: 'success' });
    });
    const rendition = () =>
      jobs.enqueue('video.make-rendition', { videoId: 'v1' }, { dedupeKey: 'r:v1' });
    const first = await rendition();
    const second = await rendition();
    expect(first.enqueued).toBe(true);
    expect(second).toEqual({ jobId: first.jobId, enqueued: false });

    await jobs.start();
    await settled('r:v1', 'completed');
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
    const rendition = () =>
      jobs.enqueue('video.make-rendition', { videoId: 'v1' }, { dedupeKey: 'r:v1' });
    await rendition();
    await settled('r:v1', 'completed');
    expect((await rendition()).enqueued).toBe(true);
    await waitFor(() => runs === 2, 'the second run');
    expect((await settled('r:v1', 'completed')).attempts).toBe(1);
  });

  it('takes higher priority first', async () => {
    const jobs = queue({ concurrency: 1 });
    const order: string[] = [];
    jobs.registerHandler('video.make-rendition', ({ payload }) => {
      order.push(payload.videoId);
      return Promise.resolve({ status: 'success' });
    });
    await jobs.enqueue(
      'video.make-rendition',
      { videoId: 'low' },
      { dedupeKey: 'l', priority: -5 },
    );
    await jobs.enqueue('video.make-rendition', { videoId: 'normal' }, { dedupeKey: 'n' });
    await jobs.enqueue(
      'video.make-rendition',
      { videoId: 'urgent' },
      { dedupeKey: 'u', priority: 10 },
    );
    await jobs.start();
    await waitFor(() => order.length === 3, 'three jobs');
    expect(order).toEqual(['urgent', 'normal', 'low']);
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
    await settled('later', 'completed');
    expect(ranAt).toBeGreaterThanOrEqual(due);
  });
}

function describeRetries({ queue, settled }: Store): void {
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
    const job = await settled('flaky', 'completed');

    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    // Timers may fire a few milliseconds early; the delays still grow from 150 to 300 ms.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(140);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(290);
    expect(job.attempts).toBe(3);
    expect(job.lastError).toBe('disk full');
    expect(job.result).toEqual({ status: 'success' });
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
    const job = await settled('bad', 'failed');
    await sleep(200);
    expect(runs).toBe(2);
    expect(job.attempts).toBe(2);
    expect(job.lastError).toBe('camera file unreadable (run 2)');
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
    const job = await settled('final', 'failed');
    expect(runs).toBe(1);
    expect(job.lastError).toBe('not a video');
  });

  it('records a skipped job as completed with its reason', async () => {
    const jobs = queue();
    jobs.registerHandler('video.make-rendition', () =>
      Promise.resolve({ status: 'skipped', reason: 'already browser-playable' }),
    );
    await jobs.start();
    await jobs.enqueue('video.make-rendition', { videoId: 'v' }, { dedupeKey: 'skip' });
    const job = await settled('skip', 'completed');
    expect(job.result).toEqual({ status: 'skipped', reason: 'already browser-playable' });
  });
}

function describeConcurrency({ queue, settled, stored }: Store): void {
  it('runs live feeds in a lane of their own, never in the shared slots', async () => {
    const jobs = queue({ concurrency: 1, lanes: { 'search.watch-live-feed': 1 } });
    await expectLaneBesideSharedSlots(jobs, (key) => settled(key, 'completed'));
  });

  it('never runs more handlers at once than its concurrency, and reports busy workers', async () => {
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
    expect((await jobs.stats()).counts.queued).toBe(6);
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

  it('shares the work between two workers on one store without running any job twice', async () => {
    const ran: string[] = [];
    const workers = [queue({ concurrency: 3 }), queue({ concurrency: 3 })];
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

  it('stop() aborts running handlers and puts their jobs back without using an attempt', async () => {
    const first = queue();
    let started = false;
    let reason: JobInterruptionKind | undefined;
    first.registerHandler('video.make-rendition', async ({ signal }) => {
      started = true;
      await untilAborted(signal);
      reason = (signal.reason as JobInterruption).kind;
      throw new Error('interrupted at a checkpoint');
    });
    await first.start();
    await first.enqueue('video.make-rendition', { videoId: 'v' }, { dedupeKey: 'long' });
    await settled('long', 'running');
    await waitFor(() => started, 'the handler to start');

    await first.stop();
    expect(reason).toBe('shutdown');
    expect(await stored('long')).toMatchObject({ state: 'queued', attempts: 0, locked: false });

    const second = queue();
    const attempts: number[] = [];
    second.registerHandler('video.make-rendition', ({ attempt }) => {
      attempts.push(attempt);
      return Promise.resolve({ status: 'success' });
    });
    await second.start();
    await settled('long', 'completed');
    expect(attempts).toEqual([1]);
  });
}

function describeCancellation({ queue, settled, stored, keepsCancelledJobs }: Store): void {
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
    const left = await stored('doomed');
    if (keepsCancelledJobs()) expect(left?.state).toBe('cancelled');
    else expect(left).toBeUndefined();
    expect((await jobs.stats()).counts.cancelled).toBe(1);
  });

  it('aborts the signal of a running job when it is cancelled', async () => {
    const jobs = queue();
    let reason: JobInterruptionKind | undefined;
    jobs.registerHandler('video.make-rendition', async ({ signal }) => {
      await untilAborted(signal);
      reason = (signal.reason as JobInterruption).kind;
      return { status: 'success' };
    });
    await jobs.start();
    await jobs.enqueue('video.make-rendition', { videoId: 'v' }, { dedupeKey: 'running' });
    await settled('running', 'running');
    expect(await jobs.cancel('running')).toBe(true);
    await waitFor(() => reason, 'the handler to see the abort');
    expect(reason).toBe('cancelled');
    await sleep(100);
    expect((await stored('running'))?.state).toBe('cancelled');
  });

  it('notices a cancellation made by another process at its next heartbeat', async () => {
    const worker = queue({ leaseMs: 600 });
    const elsewhere = queue();
    let aborted = false;
    worker.registerHandler('video.make-rendition', async ({ signal }) => {
      await untilAborted(signal);
      aborted = (signal.reason as JobInterruption).kind === 'cancelled';
      return { status: 'success' };
    });
    await worker.start();
    await worker.enqueue('video.make-rendition', { videoId: 'v' }, { dedupeKey: 'remote' });
    await settled('remote', 'running');
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
        await untilAborted(signal);
        await sleep(200); // reaching its next checkpoint
      }
      active -= 1;
      return { status: 'success' };
    });
    await jobs.start();
    await jobs.enqueue('video.make-rendition', { videoId: 'v' }, { dedupeKey: 'paused' });
    await settled('paused', 'running');
    expect(await jobs.cancel('paused')).toBe(true);
    const resumed = await jobs.enqueue(
      'video.make-rendition',
      { videoId: 'v' },
      { dedupeKey: 'paused' },
    );
    expect(resumed.enqueued).toBe(true);
    await waitFor(() => attempts.length === 2 && active === 0, 'the resumed run');
    await settled('paused', 'completed');
    expect(peak).toBe(1);
    expect(attempts).toEqual([1, 1]);
  });
}

function describeRegistration({ queue }: Store): void {
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
}

/**
 * With one shared slot and a live-feed lane of one, a live job that never ends leaves the shared
 * slot free for a rendition, and a second live job waits for the lane rather than take the slot.
 */
async function expectLaneBesideSharedSlots(
  jobs: JobQueue,
  completed: (dedupeKey: string) => Promise<unknown>,
): Promise<void> {
  const release = new AbortController();
  const watching: string[] = [];
  jobs.registerHandler('search.watch-live-feed', async ({ payload, signal }) => {
    watching.push(payload.searchVideoId);
    const ended = AbortSignal.any([signal, release.signal]);
    await untilAborted(ended);
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
  expect(watching).toHaveLength(1);
  expect(stats.lanes['search.watch-live-feed']?.busy).toBe(1);
  expect(stats.workers.busy).toBe(0);
  release.abort();
  await waitFor(() => watching.length === 2, 'the second feed once the lane was free');
}
