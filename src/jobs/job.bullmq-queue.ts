import { Queue, UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import {
  HandlerRegistry,
  checkEnqueueOptions,
  laneEntries,
  laneOf,
  runHandler,
  type JobLogger,
} from './job.registry.js';
import {
  JobInterruption,
  maxPriority,
  type EnqueueOptions,
  type EnqueueResult,
  type JobContext,
  type JobHandler,
  type JobLanes,
  type JobName,
  type JobPayloads,
  type JobQueue,
  type JobResult,
  type QueueStats,
} from './job.types.js';

export interface BullMqJobQueueOptions {
  redisUrl: string;
  /** Key prefix in Redis; deployments sharing one Redis use different prefixes. */
  prefix: string;
  queueName?: string;
  concurrency: number;
  /** Jobs with slots of their own, beside `concurrency`; each lane is a BullMQ queue of its own. */
  lanes?: JobLanes;
  /** A job whose worker stops renewing its lock this long is taken again. */
  lockMs?: number;
  retryBaseMs?: number;
  stopTimeoutMs?: number;
  logger: JobLogger;
}

type Payload = JobPayloads[JobName];

const dayS = 24 * 3600;

/**
 * BullMQ treats ':' in a custom job id specially and refuses integer-looking ids, so a dedupe key is
 * escaped into an id that can be turned back into the key.
 */
export function jobIdOf(dedupeKey: string): string {
  return `k_${dedupeKey.replace(/%/g, '%25').replace(/:/g, '%3A')}`;
}

type BullQueue = Queue<Payload, JobResult, JobName>;
type BullWorker = Worker<Payload, JobResult, JobName>;

/** One BullMQ queue and its worker: the shared slots (`lane` undefined) or one job's own lane. */
interface Lane {
  lane: JobName | undefined;
  queue: BullQueue;
  concurrency: number;
  worker?: BullWorker;
}

/**
 * The scaled queue: jobs in Redis through BullMQ, shared by any number of worker processes.
 * Same contract as the database queue; the job id is the (escaped) dedupe key.
 */
export class BullMqJobQueue implements JobQueue {
  private readonly handlers = new HandlerRegistry();
  private readonly running = new Map<
    string,
    { controller: AbortController; done: Promise<void>; lane: JobName | undefined }
  >();
  private readonly lanes: Lane[];
  private readonly redis: Redis;
  private readonly queueName: string;
  private readonly lockMs: number;
  private readonly retryBaseMs: number;
  private readonly stopTimeoutMs: number;
  private readonly checkMs: number;
  private state: 'idle' | 'started' | 'stopped' = 'idle';

  constructor(private readonly options: BullMqJobQueueOptions) {
    this.queueName = options.queueName ?? 'jobs';
    this.lockMs = options.lockMs ?? 30_000;
    this.retryBaseMs = options.retryBaseMs ?? 5_000;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 20_000;
    this.checkMs = Math.min(this.lockMs / 3, 5_000);
    const onError = (error: Error) => options.logger.error({ err: error }, 'Redis error (jobs)');
    const lane = (name: JobName | undefined, concurrency: number): Lane => {
      const queue: BullQueue = new Queue(this.laneQueueName(name), {
        connection: { url: options.redisUrl },
        prefix: options.prefix,
      });
      queue.on('error', onError);
      return { lane: name, queue, concurrency };
    };
    this.lanes = [
      lane(undefined, options.concurrency),
      ...laneEntries(options.lanes).map(([name, concurrency]) => lane(name, concurrency)),
    ];
    this.redis = new Redis(options.redisUrl, { lazyConnect: true });
    this.redis.on('error', onError);
  }

  private laneQueueName(lane: JobName | undefined): string {
    return lane ? `${this.queueName}-${lane.replace(/\W/g, '-')}` : this.queueName;
  }

  private queueFor(name: JobName): BullQueue {
    const lane = laneOf(this.options.lanes, name);
    return (this.lanes.find((entry) => entry.lane === lane) ?? this.lanes[0]!).queue;
  }

  /** The job under this id in whichever lane holds it. */
  private async findJob(jobId: string): Promise<Job<Payload, JobResult, JobName> | undefined> {
    for (const { queue } of this.lanes) {
      const job = await queue.getJob(jobId);
      if (job) return job;
    }
    return undefined;
  }

  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options: EnqueueOptions,
  ): Promise<EnqueueResult> {
    const checked = checkEnqueueOptions(options);
    const jobId = jobIdOf(checked.dedupeKey);
    const existing = await this.findJob(jobId);
    if (existing) {
      const state = await existing.getState();
      // Cancelled while its handler still runs (a pause, then a resume): withdraw the cancellation
      // rather than start a second run beside the first; `settle` puts it back in the queue.
      if (state === 'active' && (await this.redis.del(this.cancelKey(jobId))) > 0) {
        await this.redis.decr(this.cancelledCountKey());
        return { jobId, enqueued: true };
      }
      if (state !== 'completed' && state !== 'failed' && state !== 'unknown') {
        return { jobId, enqueued: false };
      }
      await existing.remove();
    }
    await this.redis.del(this.cancelKey(jobId));
    await this.queueFor(name).add(name, payload, {
      jobId,
      // BullMQ runs lower numbers first and treats 0 as "no priority", so ours is mirrored onto 1….
      priority: maxPriority - checked.priority + 1,
      delay: Math.max(0, checked.runAt.getTime() - Date.now()),
      attempts: checked.maxAttempts,
      backoff: { type: 'exponential', delay: this.retryBaseMs },
      removeOnComplete: { age: 7 * dayS },
      removeOnFail: { age: 30 * dayS },
    });
    return { jobId, enqueued: true };
  }

  async cancel(dedupeKey: string): Promise<boolean> {
    const jobId = jobIdOf(dedupeKey);
    const job = await this.findJob(jobId);
    if (!job) return false;
    const state = await job.getState();
    if (state === 'completed' || state === 'failed' || state === 'unknown') return false;
    await this.redis.incr(this.cancelledCountKey());
    if (state !== 'active') {
      try {
        await job.remove();
        return true;
      } catch {
        // It became active between the two calls (its lock forbids removal): flag it instead.
      }
    }
    // Whichever process runs it polls this flag and aborts the handler.
    await this.redis.set(this.cancelKey(jobId), '1', 'EX', 7 * dayS);
    this.running.get(jobId)?.controller.abort(new JobInterruption('cancelled'));
    return true;
  }

  registerHandler<N extends JobName>(name: N, handler: JobHandler<N>): void {
    this.handlers.add(name, handler);
  }

  async start(): Promise<void> {
    if (this.state !== 'idle') throw new Error('The job queue was already started');
    const waiting = await Promise.all(
      this.lanes.map(({ queue }) =>
        queue.getJobs(['waiting', 'prioritized', 'delayed', 'active'], 0, 999),
      ),
    );
    this.handlers.seal([...new Set(waiting.flat().map((job) => job.name))]);
    this.state = 'started';
    const workers = this.lanes.map((lane) => (lane.worker = this.startWorker(lane)));
    await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  }

  private startWorker(lane: Lane): BullWorker {
    const worker: BullWorker = new Worker(
      this.laneQueueName(lane.lane),
      (job, token, signal) => this.process(job, token, signal),
      {
        connection: { url: this.options.redisUrl, maxRetriesPerRequest: null },
        prefix: this.options.prefix,
        concurrency: lane.concurrency,
        lockDuration: this.lockMs,
        stalledInterval: this.lockMs,
        maxStalledCount: 2,
      },
    );
    worker.on('error', (error) => {
      this.options.logger.error({ err: error }, 'BullMQ worker error');
    });
    return worker;
  }

  async stop(timeoutMs = this.stopTimeoutMs): Promise<void> {
    const workers = this.lanes.flatMap((lane) => (lane.worker ? [lane.worker] : []));
    this.state = 'stopped';
    if (workers.length === 0) return;
    for (const lane of this.lanes) lane.worker = undefined;
    // A non-forced close cannot be forced later, so the wait is ours and close() comes after it.
    await Promise.all(workers.map((worker) => worker.pause(true)));
    const handlers = [...this.running.values()];
    for (const { controller } of handlers) controller.abort(new JobInterruption('shutdown'));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([
      Promise.all(handlers.map((handler) => handler.done)).then(() => 'done' as const),
      timedOut,
    ]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.options.logger.warn(
        { jobs: this.running.size },
        'jobs did not stop in time; another worker takes them when their lock expires',
      );
    }
    await Promise.all(workers.map((worker) => worker.close(outcome === 'timeout')));
  }

  async close(): Promise<void> {
    await this.stop();
    await Promise.all(this.lanes.map(({ queue }) => queue.close()));
    this.redis.disconnect();
  }

  async stats(): Promise<QueueStats> {
    const perLane = await Promise.all(
      this.lanes.map(({ queue }) =>
        queue.getJobCounts(
          'waiting',
          'prioritized',
          'delayed',
          'waiting-children',
          'active',
          'completed',
          'failed',
        ),
      ),
    );
    const cancelled = Number((await this.redis.get(this.cancelledCountKey())) ?? 0);
    const count = (key: string) => perLane.reduce((sum, counts) => sum + (counts[key] ?? 0), 0);
    const slots = ({ lane, concurrency }: Lane) => ({
      busy: [...this.running.values()].filter((job) => job.lane === lane).length,
      concurrency: this.state === 'started' ? concurrency : 0,
    });
    const [shared, ...own] = this.lanes;
    return {
      counts: {
        queued:
          count('waiting') + count('prioritized') + count('delayed') + count('waiting-children'),
        running: count('active'),
        completed: count('completed'),
        failed: count('failed'),
        cancelled,
      },
      workers: slots(shared!),
      lanes: Object.fromEntries(
        own.map((lane): [string, QueueStats['workers']] => [lane.lane ?? '', slots(lane)]),
      ),
    };
  }

  private async process(
    job: Job<Payload, JobResult, JobName>,
    token: string | undefined,
    bullSignal: AbortSignal | undefined,
  ): Promise<JobResult> {
    const handler = this.handlers.get(job.name);
    if (!handler) throw new UnrecoverableError(`No handler for job "${job.name}"`);
    const jobId = job.id ?? '';
    const controller = new AbortController();
    let finished: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finished = resolve));
    this.running.set(jobId, { controller, done, lane: laneOf(this.options.lanes, job.name) });
    const onBullAbort = () => controller.abort(new JobInterruption('lease-lost'));
    bullSignal?.addEventListener('abort', onBullAbort, { once: true });
    const checkCancelled = async () => {
      if (controller.signal.aborted) return;
      if (await this.redis.exists(this.cancelKey(jobId))) {
        controller.abort(new JobInterruption('cancelled'));
      }
    };
    const timer = setInterval(() => {
      checkCancelled().catch((error: unknown) => {
        this.options.logger.warn({ err: error, jobId }, 'could not check a job for cancellation');
      });
    }, this.checkMs);
    const context: JobContext = {
      id: jobId,
      name: job.name,
      payload: job.data,
      attempt: job.attemptsMade + 1,
      signal: controller.signal,
      heartbeat: async () => {
        if (token && !controller.signal.aborted) await job.extendLock(token, this.lockMs);
        await checkCancelled();
      },
    };
    try {
      const result = await runHandler(handler, context);
      return await this.settle(job, token, result, controller.signal);
    } finally {
      clearInterval(timer);
      bullSignal?.removeEventListener('abort', onBullAbort);
      this.running.delete(jobId);
      finished();
    }
  }

  /** Turns a handler's result into what BullMQ expects: a value, or an error that says retry or not. */
  private async settle(
    job: Job<Payload, JobResult, JobName>,
    token: string | undefined,
    result: JobResult,
    signal: AbortSignal,
  ): Promise<JobResult> {
    const interruption = signal.reason instanceof JobInterruption ? signal.reason : undefined;
    if (interruption?.kind === 'cancelled') {
      if (await this.redis.exists(this.cancelKey(job.id ?? ''))) {
        return { status: 'skipped', reason: 'cancelled' };
      }
      await job.moveToWait(token);
      throw new WaitingError();
    }
    switch (result.status) {
      case 'success':
      case 'skipped':
        return result;
      case 'failed':
        if (interruption?.kind === 'shutdown') {
          // Back to the queue without using up an attempt, like the database queue.
          await job.moveToWait(token);
          throw new WaitingError();
        }
        if (result.retry === false) throw new UnrecoverableError(result.reason);
        throw new Error(result.reason);
    }
  }

  private cancelKey(jobId: string): string {
    return `${this.options.prefix}:${this.queueName}:cancel:${jobId}`;
  }

  private cancelledCountKey(): string {
    return `${this.options.prefix}:${this.queueName}:cancelled-count`;
  }
}
