import type { Db, DialectName } from '../db/database.js';
import { isoAfter, newId } from '../shared/clock.js';
import {
  cancelJob,
  claimNextJob,
  countJobsByStatus,
  finishJob,
  insertOrRearmJob,
  pendingJobNames,
  reapExpiredLeases,
  releaseCancelledJob,
  renewLease,
  type JobOutcome,
} from './job.repository.js';
import {
  HandlerRegistry,
  checkEnqueueOptions,
  laneEntries,
  laneOf,
  retryDelayMs,
  runHandler,
  type JobLogger,
} from './job.registry.js';
import type { JobRow } from '../db/tables/job.table.js';
import {
  JobInterruption,
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

export interface DbJobQueueOptions {
  db: Db;
  dialect: DialectName;
  /** Handlers run at once in this process (jobs without a lane of their own). */
  concurrency: number;
  /** Jobs with slots of their own, beside `concurrency`. */
  lanes?: JobLanes;
  /** How long a claimed job stays ours without a heartbeat; a dead worker's job waits this long. */
  leaseMs?: number;
  /** How often to look for due jobs when nothing in this process woke the loop. */
  pollMs?: number;
  /** First retry delay; doubles on each further attempt. */
  retryBaseMs?: number;
  /** Default wait for running handlers in `stop()`. */
  stopTimeoutMs?: number;
  logger: JobLogger;
}

interface RunningJob {
  row: JobRow;
  token: string;
  controller: AbortController;
  done: Promise<void>;
  /** Set when `stop()` gave up waiting: whatever the handler does later is not recorded. */
  abandoned: boolean;
}

/**
 * The embedded queue: jobs live in the `jobs` table of the app's own database (SQLite or
 * PostgreSQL), so they survive restarts and need no other service. Workers lease jobs and renew the
 * lease while the handler runs; a job whose worker died is taken again once its lease expires.
 */
export class DbJobQueue implements JobQueue {
  private readonly handlers = new HandlerRegistry();
  private readonly running = new Map<string, RunningJob>();
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly retryBaseMs: number;
  private readonly stopTimeoutMs: number;
  private readonly heartbeatMs: number;
  private state: 'idle' | 'started' | 'stopped' = 'idle';
  private loop: Promise<void> | undefined;
  private wakeRequested = false;
  private endSleep: (() => void) | undefined;
  private lastReap = 0;

  constructor(private readonly options: DbJobQueueOptions) {
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 1_000;
    this.retryBaseMs = options.retryBaseMs ?? 5_000;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 20_000;
    // Several renewals fit in one lease, and a cancellation made elsewhere is noticed quickly.
    this.heartbeatMs = Math.min(this.leaseMs / 3, 5_000);
  }

  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options: EnqueueOptions,
  ): Promise<EnqueueResult> {
    const checked = checkEnqueueOptions(options);
    const result = await insertOrRearmJob(this.options.db, { name, payload, ...checked });
    if (result.enqueued) this.wake();
    return result;
  }

  async cancel(dedupeKey: string): Promise<boolean> {
    const id = await cancelJob(this.options.db, dedupeKey);
    if (!id) return false;
    for (const job of this.running.values()) {
      if (job.row.id === id) job.controller.abort(new JobInterruption('cancelled'));
    }
    return true;
  }

  registerHandler<N extends JobName>(name: N, handler: JobHandler<N>): void {
    this.handlers.add(name, handler);
  }

  async start(): Promise<void> {
    if (this.state !== 'idle') throw new Error('The job queue was already started');
    this.handlers.seal(await pendingJobNames(this.options.db));
    await this.reap();
    this.state = 'started';
    this.loop = this.runLoop();
  }

  async stop(timeoutMs = this.stopTimeoutMs): Promise<void> {
    if (this.state !== 'started') {
      this.state = 'stopped';
      return;
    }
    this.state = 'stopped';
    this.wake();
    await this.loop;
    const jobs = [...this.running.values()];
    for (const job of jobs) job.controller.abort(new JobInterruption('shutdown'));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([
      Promise.all(jobs.map((job) => job.done)).then(() => 'done' as const),
      timedOut,
    ]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      for (const job of this.running.values()) {
        job.abandoned = true;
        this.options.logger.warn(
          { jobId: job.row.id, name: job.row.name },
          'job did not stop in time; another worker takes it when its lease expires',
        );
      }
    }
  }

  async close(): Promise<void> {
    await this.stop();
  }

  async stats(): Promise<QueueStats> {
    const slots = (name: JobName | undefined, concurrency: number) => ({
      busy: this.busyIn(name),
      concurrency: this.state === 'started' ? concurrency : 0,
    });
    const lanes: QueueStats['lanes'] = {};
    for (const [name, concurrency] of laneEntries(this.options.lanes)) {
      lanes[name] = slots(name, concurrency);
    }
    return {
      counts: await countJobsByStatus(this.options.db),
      workers: slots(undefined, this.options.concurrency),
      lanes,
    };
  }

  /** Running jobs of a lane (`undefined`: the shared slots). */
  private busyIn(lane: JobName | undefined): number {
    let busy = 0;
    for (const job of this.running.values()) {
      if (laneOf(this.options.lanes, job.row.name) === lane) busy++;
    }
    return busy;
  }

  /** The handled job names that have a free slot now. */
  private claimableNames(): JobName[] {
    const lanes = this.options.lanes;
    return this.handlers.names().filter((name) => {
      const lane = laneOf(lanes, name);
      const limit = lane ? (lanes?.[lane] ?? 0) : this.options.concurrency;
      return this.busyIn(lane) < limit;
    });
  }

  private async runLoop(): Promise<void> {
    while (this.state === 'started') {
      try {
        this.wakeRequested = false;
        if (Date.now() - this.lastReap >= this.leaseMs / 2) await this.reap();
        while (this.state === 'started') {
          const names = this.claimableNames();
          if (names.length === 0) break;
          const token = newId();
          const row = await claimNextJob(
            this.options.db,
            this.options.dialect,
            names,
            token,
            isoAfter(this.leaseMs),
          );
          if (!row) break;
          this.launch(row, token);
        }
      } catch (error) {
        this.options.logger.error({ err: error }, 'job queue could not poll the database');
      }
      await this.sleep();
    }
  }

  /** Ends the current poll wait at once, or skips the next one if the loop is busy claiming. */
  private wake(): void {
    this.wakeRequested = true;
    this.endSleep?.();
  }

  private sleep(): Promise<void> {
    if (this.state !== 'started' || this.wakeRequested) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.endSleep?.(), this.pollMs);
      this.endSleep = () => {
        clearTimeout(timer);
        this.endSleep = undefined;
        resolve();
      };
    });
  }

  private async reap(): Promise<void> {
    this.lastReap = Date.now();
    const { requeued, failed } = await reapExpiredLeases(this.options.db);
    if (requeued + failed > 0) {
      this.options.logger.warn({ requeued, failed }, 'took back jobs whose worker stopped');
    }
  }

  private launch(row: JobRow, token: string): void {
    const job: RunningJob = {
      row,
      token,
      controller: new AbortController(),
      done: Promise.resolve(),
      abandoned: false,
    };
    this.running.set(token, job);
    job.done = this.process(job)
      .catch((error: unknown) => {
        this.options.logger.error(
          { err: error, jobId: row.id, name: row.name },
          'could not record the end of a job',
        );
      })
      .finally(() => {
        this.running.delete(token);
        this.wake();
      });
  }

  private async process(job: RunningJob): Promise<void> {
    const { row, token, controller } = job;
    const handler = this.handlers.get(row.name);
    if (!handler) throw new Error(`No handler for job "${row.name}"`);
    const heartbeat = async () => {
      if (job.abandoned || controller.signal.aborted) return;
      const lease = await renewLease(this.options.db, row.id, token, isoAfter(this.leaseMs));
      if (lease !== 'held' && !controller.signal.aborted) {
        controller.abort(new JobInterruption(lease === 'cancelled' ? 'cancelled' : 'lease-lost'));
      }
    };
    const timer = setInterval(() => {
      heartbeat().catch((error: unknown) => {
        this.options.logger.warn({ err: error, jobId: row.id }, 'could not renew a job lease');
      });
    }, this.heartbeatMs);
    const context: JobContext = {
      id: row.id,
      name: row.name as JobName,
      payload: JSON.parse(row.payload) as JobPayloads[JobName],
      attempt: row.attempts,
      signal: controller.signal,
      heartbeat,
    };
    let result: JobResult;
    try {
      result = await runHandler(handler, context);
    } finally {
      clearInterval(timer);
    }
    if (job.abandoned) return;
    const outcome = this.outcomeOf(row, result, controller.signal);
    if (!(await finishJob(this.options.db, row.id, token, outcome))) {
      await releaseCancelledJob(this.options.db, row.id, token);
    }
  }

  private outcomeOf(row: JobRow, result: JobResult, signal: AbortSignal): JobOutcome {
    const interruption = signal.reason instanceof JobInterruption ? signal.reason : undefined;
    // Still ours after a cancellation means it was enqueued again meanwhile: run it afresh.
    if (interruption?.kind === 'cancelled') return { kind: 'released' };
    switch (result.status) {
      case 'success':
      case 'skipped':
        return { kind: 'completed', result };
      case 'failed': {
        if (interruption?.kind === 'shutdown') return { kind: 'released' };
        if (result.retry !== false && row.attempts < row.max_attempts) {
          return {
            kind: 'retry',
            error: result.reason,
            runAt: isoAfter(retryDelayMs(row.attempts, this.retryBaseMs)),
          };
        }
        return { kind: 'failed', error: result.reason };
      }
    }
  }
}
