import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  BullMqJobQueue,
  jobIdOf,
  type BullMqJobQueueOptions,
} from '../../src/jobs/job.bullmq-queue.js';
import type { JobInterruption, JobInterruptionKind } from '../../src/jobs/job.types.js';
import { expectLaneBesideSharedSlots, silentLogger, sleep, waitFor } from '../support/jobs.js';

const redisUrl = process.env.TEST_REDIS_URL;
if (!redisUrl) {
  console.warn(
    '[tests] TEST_REDIS_URL is unset: the BullMQ job queue tests are skipped. ' +
      'Set it (e.g. redis://127.0.0.1:6379) to run them; .ci/run always does.',
  );
}

describe.skipIf(!redisUrl)('BullMQ job queue', () => {
  const url = redisUrl ?? '';
  const prefix = `mpf-test-${randomUUID()}`;
  const queues: BullMqJobQueue[] = [];
  let queueName = '';
  let inspector: Queue | undefined;

  const queue = (options: Partial<BullMqJobQueueOptions> = {}) => {
    const created = new BullMqJobQueue({
      redisUrl: url,
      prefix,
      queueName,
      concurrency: 2,
      lockMs: 3_000,
      retryBaseMs: 100,
      stopTimeoutMs: 2_000,
      logger: silentLogger,
      ...options,
    });
    queues.push(created);
    return created;
  };
  /** Reads a job's state straight from Redis, as an operator would. */
  const stored = async (dedupeKey: string) => {
    inspector ??= new Queue(queueName, { connection: { url }, prefix });
    const job = await inspector.getJob(jobIdOf(dedupeKey));
    return job ? { state: await job.getState(), job } : undefined;
  };
  const inState = (dedupeKey: string, state: string) =>
    waitFor(async () => {
      const found = await stored(dedupeKey);
      return found?.state === state ? found.job : undefined;
    }, `${dedupeKey} to be ${state}`);

  const fresh = () => {
    queueName = `jobs-${randomUUID().slice(0, 8)}`;
    inspector = undefined;
  };

  afterEach(async () => {
    for (const created of queues.splice(0)) await created.close();
    await inspector?.obliterate({ force: true });
    await inspector?.close();
  });

  afterAll(async () => {
    const redis = new Redis(url);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('runs a job enqueued twice with the same dedupe key only once', async () => {
    fresh();
    const jobs = queue();
    let runs = 0;
    jobs.registerHandler('video.make-rendition', () => {
      runs += 1;
      return Promise.resolve({ status: 'success' });
    });
    const key = 'rendition:video-1';
    const first = await jobs.enqueue('video.make-rendition', { videoId: 'v1' }, { dedupeKey: key });
    const second = await jobs.enqueue(
      'video.make-rendition',
      { videoId: 'v1' },
      { dedupeKey: key },
    );
    expect(first.enqueued).toBe(true);
    expect(second).toEqual({ jobId: first.jobId, enqueued: false });
    await jobs.start();
    await inState(key, 'completed');
    await sleep(200);
    expect(runs).toBe(1);

    const again = await jobs.enqueue('video.make-rendition', { videoId: 'v1' }, { dedupeKey: key });
    expect(again.enqueued).toBe(true);
    await waitFor(() => runs === 2, 'the re-queued run');
  });

  it('takes higher priority first', async () => {
    fresh();
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

  it('retries with growing delays, then fails for good after maxAttempts with the last error', async () => {
    fresh();
    const jobs = queue({ retryBaseMs: 150 });
    const seen: { key: string; attempt: number; at: number }[] = [];
    jobs.registerHandler('video.make-rendition', ({ payload, attempt }) => {
      seen.push({ key: payload.videoId, attempt, at: Date.now() });
      if (payload.videoId === 'flaky' && attempt === 3) {
        return Promise.resolve({ status: 'success' });
      }
      if (attempt === 1) throw new Error('ffmpeg crashed');
      return Promise.resolve({ status: 'failed', reason: `disk full (attempt ${attempt})` });
    });
    await jobs.start();
    await jobs.enqueue('video.make-rendition', { videoId: 'flaky' }, { dedupeKey: 'flaky' });
    await jobs.enqueue(
      'video.make-rendition',
      { videoId: 'broken' },
      { dedupeKey: 'broken', maxAttempts: 2 },
    );
    await inState('flaky', 'completed');
    const broken = await inState('broken', 'failed');

    const flaky = seen.filter((s) => s.key === 'flaky');
    expect(flaky.map((s) => s.attempt)).toEqual([1, 2, 3]);
    expect(flaky[1]!.at - flaky[0]!.at).toBeGreaterThanOrEqual(140);
    expect(flaky[2]!.at - flaky[1]!.at).toBeGreaterThanOrEqual(290);
    expect(seen.filter((s) => s.key === 'broken')).toHaveLength(2);
    expect(broken.failedReason).toBe('disk full (attempt 2)');
  });

  it('does not retry a failure marked retry: false', async () => {
    fresh();
    const jobs = queue();
    let runs = 0;
    jobs.registerHandler('video.make-rendition', () => {
      runs += 1;
      return Promise.resolve({ status: 'failed', reason: 'not a video', retry: false });
    });
    await jobs.start();
    await jobs.enqueue('video.make-rendition', { videoId: 'v' }, { dedupeKey: 'final' });
    expect((await inState('final', 'failed')).failedReason).toBe('not a video');
    expect(runs).toBe(1);
  });

  it('runs live feeds in a lane of their own, never in the shared slots', async () => {
    fresh();
    const jobs = queue({ concurrency: 1, lanes: { 'search.watch-live-feed': 1 } });
    let renditionDone = false;
    await expectLaneBesideSharedSlots(jobs, () =>
      waitFor(async () => {
        renditionDone ||= (await jobs.stats()).counts.completed >= 1;
        return renditionDone;
      }, 'the rendition'),
    );
  });

  it('never runs more handlers at once than its concurrency, and reports busy workers', async () => {
    fresh();
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
    await waitFor(async () => (await jobs.stats()).counts.completed === 6, 'six completed');
    expect(peak).toBe(2);
    expect(peakBusy).toBe(2);
    expect(await jobs.stats()).toEqual({
      counts: { queued: 0, running: 0, completed: 6, failed: 0, cancelled: 0 },
      workers: { busy: 0, concurrency: 2 },
      lanes: {},
    });
  });

  it('cancels a queued job so it never runs, and a running one through its signal', async () => {
    fresh();
    const jobs = queue({ concurrency: 1 });
    const ran: string[] = [];
    let reason: JobInterruptionKind | undefined;
    jobs.registerHandler('video.make-rendition', async ({ payload, signal }) => {
      ran.push(payload.videoId);
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      reason = (signal.reason as JobInterruption).kind;
      return { status: 'success' };
    });
    await jobs.enqueue(
      'video.make-rendition',
      { videoId: 'first' },
      { dedupeKey: 'first', priority: 5 },
    );
    await jobs.enqueue('video.make-rendition', { videoId: 'second' }, { dedupeKey: 'second' });
    expect(await jobs.cancel('second')).toBe(true);
    expect(await jobs.cancel('second')).toBe(false);
    await jobs.start();
    await waitFor(() => ran.length === 1, 'the first job to start');

    // Cancelled from another process: the running worker notices at its next check.
    const elsewhere = queue();
    expect(await elsewhere.cancel('first')).toBe(true);
    await waitFor(() => reason, 'the running handler to be aborted', 5_000);
    expect(reason).toBe('cancelled');
    await sleep(200);
    expect(ran).toEqual(['first']);
    expect((await jobs.stats()).counts.cancelled).toBe(2);
  });

  it('resumes a job paused while running without ever running it twice at once', async () => {
    fresh();
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
    await inState('paused', 'active');
    expect(await jobs.cancel('paused')).toBe(true);
    const resumed = await jobs.enqueue(
      'video.make-rendition',
      { videoId: 'v' },
      { dedupeKey: 'paused' },
    );
    expect(resumed.enqueued).toBe(true);
    await waitFor(() => attempts.length === 2 && active === 0, 'the resumed run');
    await inState('paused', 'completed');
    expect(peak).toBe(1);
    expect(attempts).toEqual([1, 1]);
  });

  it('stop() aborts running handlers and puts their jobs back without using an attempt', async () => {
    fresh();
    const first = queue();
    let reason: JobInterruptionKind | undefined;
    first.registerHandler('video.make-rendition', async ({ signal }) => {
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      reason = (signal.reason as JobInterruption).kind;
      throw new Error('interrupted at a checkpoint');
    });
    await first.start();
    await first.enqueue('video.make-rendition', { videoId: 'v' }, { dedupeKey: 'long' });
    await inState('long', 'active');
    await first.stop();
    expect(reason).toBe('shutdown');
    const parked = await stored('long');
    expect(parked?.state).toMatch(/^(waiting|prioritized)$/);
    expect(parked?.job.attemptsMade).toBe(0);

    const second = queue();
    const attempts: number[] = [];
    second.registerHandler('video.make-rendition', ({ attempt }) => {
      attempts.push(attempt);
      return Promise.resolve({ status: 'success' });
    });
    await second.start();
    await inState('long', 'completed');
    expect(attempts).toEqual([1]);
  });

  it('gives the job of a worker that stopped renewing its lock to another worker', async () => {
    fresh();
    const stuck = queue({ lockMs: 1_000 });
    stuck.registerHandler('video.make-rendition', () => new Promise(() => undefined));
    await stuck.start();
    await stuck.enqueue('video.make-rendition', { videoId: 'v' }, { dedupeKey: 'wedged' });
    await inState('wedged', 'active');
    await stuck.stop(50);

    const rescuer = queue({ lockMs: 1_000 });
    let rescues = 0;
    rescuer.registerHandler('video.make-rendition', () => {
      rescues += 1;
      return Promise.resolve({ status: 'success' });
    });
    await rescuer.start();
    await inState('wedged', 'completed');
    expect(rescues).toBe(1);
  });
});
