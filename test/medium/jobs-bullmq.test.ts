import { randomUUID } from 'node:crypto';
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BullMqJobQueue,
  jobIdOf,
  type BullMqJobQueueOptions,
} from '../../src/jobs/job.bullmq-queue.js';
import { silentLogger, waitFor } from '../support/jobs.js';
import { testRedisUrl } from '../support/redis.js';
import {
  describeQueueContract,
  type ContractQueueOptions,
  type QueueUnderTest,
  type StoredJob,
} from './queue.contract.js';

const redisUrl = testRedisUrl('the BullMQ job queue tests are');
const url = redisUrl ?? '';
const prefix = `mpf-test-${randomUUID()}`;

/** BullMQ's states in the database queue's words; a job cancelled while running completes as skipped. */
function stateOf(state: string, job: Job): StoredJob['state'] {
  if (state === 'active') return 'running';
  if (state === 'completed' || state === 'failed') {
    const cancelled =
      state === 'completed' &&
      (job.returnvalue as { reason?: string } | null)?.reason === 'cancelled';
    return cancelled ? 'cancelled' : state;
  }
  return 'queued';
}

type BullMqQueues = QueueUnderTest & {
  queue(options?: ContractQueueOptions & Partial<BullMqJobQueueOptions>): BullMqJobQueue;
  /** The job straight from Redis, as an operator would read it. */
  raw(dedupeKey: string): Promise<{ state: string; job: Job } | undefined>;
};

/** BullMQ queues (workers) on a queue name of their own in the test Redis. */
function openBullMqQueues(): Promise<BullMqQueues> {
  const queueName = `jobs-${randomUUID().slice(0, 8)}`;
  // Opened on first use, as before: opened ahead of the workers, the stop() test hung in
  // stop() (seen with BullMQ 6, cause not found).
  let inspector: Queue | undefined;
  const queues: BullMqJobQueue[] = [];
  const raw = async (dedupeKey: string) => {
    inspector ??= new Queue(queueName, { connection: { url }, prefix });
    // The state first, then the job: read the other way round, a job that just failed could
    // show its state after the move and its fields from before it.
    const state = await inspector.getJobState(jobIdOf(dedupeKey));
    const job = await inspector.getJob(jobIdOf(dedupeKey));
    return job ? { state, job } : undefined;
  };
  return Promise.resolve({
    queue({ leaseMs, ...options } = {}) {
      const created = new BullMqJobQueue({
        redisUrl: url,
        prefix,
        queueName,
        concurrency: 2,
        lockMs: leaseMs ?? 3_000,
        retryBaseMs: 100,
        stopTimeoutMs: 2_000,
        logger: silentLogger,
        ...options,
      });
      queues.push(created);
      return created;
    },
    raw,
    async stored(dedupeKey) {
      const found = await raw(dedupeKey);
      if (!found) return undefined;
      const { state, job } = found;
      return {
        state: stateOf(state, job),
        attempts: job.attemptsMade,
        lastError: job.failedReason ?? null,
        result: (job.returnvalue as unknown) ?? null,
        locked: state === 'active',
      };
    },
    keepsCancelledJobs: false,
    async close() {
      for (const created of queues.splice(0)) await created.close();
      await inspector?.obliterate({ force: true });
      await inspector?.close();
    },
  });
}

afterAll(async () => {
  if (!redisUrl) return;
  const redis = new Redis(url);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe.skipIf(!redisUrl)('BullMQ', () => {
  describeQueueContract('BullMQ job queue', openBullMqQueues);

  describe('BullMQ job queue', () => {
    let store: BullMqQueues;
    beforeEach(async () => {
      store = await openBullMqQueues();
    });
    afterEach(() => store.close());

    const inState = (dedupeKey: string, state: string) =>
      waitFor(async () => {
        const found = await store.raw(dedupeKey);
        return found?.state === state ? found.job : undefined;
      }, `${dedupeKey} to be ${state}`);

    it('gives the job of a worker that stopped renewing its lock to another worker', async () => {
      const stuck = store.queue({ lockMs: 1_000 });
      stuck.registerHandler('video.make-rendition', () => new Promise(() => undefined));
      await stuck.start();
      await stuck.enqueue('video.make-rendition', { videoId: 'v' }, { dedupeKey: 'wedged' });
      await inState('wedged', 'active');
      await stuck.stop(50);

      const rescuer = store.queue({ lockMs: 1_000 });
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
});
