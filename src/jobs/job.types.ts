import type { JobStatus } from '../db/tables/job.table.js';

export type { JobStatus } from '../db/tables/job.table.js';

/**
 * The one registry of background jobs: name → payload. Add an entry here, then its handler's
 * factory in the map of src/job-handlers.ts (the typecheck fails until you do). Payloads are stored
 * as JSON, so keep them to ids and plain values and re-read everything else from the database when
 * the job runs.
 */
export interface JobPayloads {
  /** Runs face recognition for one search over one of its videos. */
  'search.analyse-video': { searchId: string; searchVideoId: string };
  /**
   * Watches one live feed for one search until the search ends. A job of its own name so that it
   * runs in its own lane (LIVE_MAX_FEEDS per process) and never holds a recorded-analysis slot.
   */
  'search.watch-live-feed': { searchId: string; searchVideoId: string };
  /** A scheduled backup into BACKUP_DIR, due at `dueAt` (one per due time across processes). */
  'backup.scheduled': { dueAt: string };
  /** Makes a browser-playable H.264/AAC MP4 of an uploaded video. */
  'video.make-rendition': { videoId: string };
  /** The daily retention purge (and one at start-up); `scheduledFor` is informative only. */
  'maintenance.retention': { scheduledFor: string };
}

export type JobName = keyof JobPayloads;

/** The jobs that analyse one video of one search: recorded footage, or a live feed in its lane. */
export type AnalysisJobName = 'search.analyse-video' | 'search.watch-live-feed';

export type JobResult =
  | { status: 'success' }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; reason: string; retry?: boolean };

/** Why a running handler's signal was aborted; read it from `job.signal.reason`. */
export type JobInterruptionKind = 'cancelled' | 'shutdown' | 'lease-lost';

export class JobInterruption extends Error {
  constructor(readonly kind: JobInterruptionKind) {
    super(
      {
        cancelled: 'the job was cancelled',
        shutdown: 'the worker is shutting down',
        'lease-lost': 'the job lease was lost to another worker',
      }[kind],
    );
    this.name = 'JobInterruption';
  }
}

/** What a handler receives for one attempt of one job. */
export interface JobContext<N extends JobName = JobName> {
  id: string;
  name: N;
  payload: JobPayloads[N];
  /** 1 on the first attempt, 2 on the first retry, … */
  attempt: number;
  /**
   * Aborted when the job is cancelled, when the worker shuts down (the job goes back to the queue
   * without using up an attempt) or when the lease was lost. Stop at the next checkpoint.
   */
  signal: AbortSignal;
  /**
   * Renews the job's lease now. The queue already renews it on a timer while the handler runs;
   * call this after long synchronous stretches. A lost lease aborts `signal`.
   */
  heartbeat(): Promise<void>;
}

/**
 * Processes one attempt. A thrown error counts as `{ status: 'failed', retry: true }`.
 * Handlers must be idempotent: after a crash the same job runs again from its last checkpoint.
 */
export type JobHandler<N extends JobName = JobName> = (job: JobContext<N>) => Promise<JobResult>;

export interface EnqueueOptions {
  /**
   * Identity of the work (e.g. `search-video:<id>`). While a job with this key is queued or running,
   * enqueueing it again changes nothing; once it has finished (completed, failed, cancelled),
   * enqueueing it again queues it anew. A job cancelled while its handler is still stopping is
   * resumed instead: it runs again after that handler returned, never beside it.
   */
  dedupeKey: string;
  /** Higher runs first; an integer from -1000 to 1000, default 0. */
  priority?: number;
  /** Not before this moment. */
  runAt?: Date;
  /** Attempts before the job is failed for good; default 3. */
  maxAttempts?: number;
}

export interface EnqueueResult {
  jobId: string;
  /** False when a queued or running job with the same dedupe key already existed. */
  enqueued: boolean;
}

export interface QueueStats {
  /** Jobs by status across every process; `queued` includes jobs waiting for a retry. */
  counts: Record<JobStatus, number>;
  /**
   * Handler slots of this process for jobs outside a lane of their own: how many are busy and how
   * many there are (0 when not started).
   */
  workers: { busy: number; concurrency: number };
  /** The same for each job that runs in a lane of its own (`lanes` of the queue's options). */
  lanes: Partial<Record<JobName, { busy: number; concurrency: number }>>;
}

/**
 * Jobs that run beside the others with slots of their own: a long-lived job (a live feed runs as
 * long as its search) must not hold the slots that short jobs queue for.
 */
export type JobLanes = Partial<Record<JobName, number>>;

/** A durable job queue. The embedded (database) and scaled (BullMQ) implementations behave alike. */
export interface JobQueue {
  enqueue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options: EnqueueOptions,
  ): Promise<EnqueueResult>;
  /**
   * Cancels the job with this dedupe key: a queued job never runs; a running job's signal is
   * aborted (at once in this process, within a heartbeat elsewhere). Returns false when there was
   * nothing queued or running under that key.
   */
  cancel(dedupeKey: string): Promise<boolean>;
  /** Exactly one handler per job name; register before `start()`. */
  registerHandler<N extends JobName>(name: N, handler: JobHandler<N>): void;
  /** Starts processing. Fails when jobs are waiting whose name has no handler. */
  start(): Promise<void>;
  /**
   * Stops taking jobs, aborts the running handlers' signals and waits for them up to `timeoutMs`.
   * Interrupted jobs go back to the queue without using up an attempt.
   */
  stop(timeoutMs?: number): Promise<void>;
  stats(): Promise<QueueStats>;
  /** Stops (if started) and releases connections. */
  close(): Promise<void>;
}

export const jobStatuses: readonly JobStatus[] = [
  'queued',
  'running',
  'completed',
  'failed',
  'cancelled',
];

export const minPriority = -1000;
export const maxPriority = 1000;
