import {
  maxPriority,
  minPriority,
  type EnqueueOptions,
  type JobContext,
  type JobHandler,
  type JobLanes,
  type JobName,
  type JobResult,
} from './job.types.js';

/** The handlers of one queue: exactly one per job name, fixed once the queue starts. */
export class HandlerRegistry {
  private readonly handlers = new Map<JobName, JobHandler>();
  private sealed = false;

  add<N extends JobName>(name: N, handler: JobHandler<N>): void {
    if (this.sealed) throw new Error(`Cannot register a handler for "${name}" after start()`);
    if (this.handlers.has(name)) throw new Error(`A handler for "${name}" is already registered`);
    this.handlers.set(name, handler as unknown as JobHandler);
  }

  get(name: string): JobHandler | undefined {
    return this.handlers.get(name as JobName);
  }

  names(): JobName[] {
    return [...this.handlers.keys()];
  }

  /** Freezes the registry and fails if any of `pendingNames` has no handler. */
  seal(pendingNames: string[]): void {
    const missing = pendingNames.filter((name) => !this.handlers.has(name as JobName));
    if (missing.length > 0) {
      throw new Error(`Jobs are waiting with no handler registered: ${missing.sort().join(', ')}`);
    }
    this.sealed = true;
  }
}

/** Runs a handler and turns a thrown error into a retryable failure. */
export async function runHandler(handler: JobHandler, job: JobContext): Promise<JobResult> {
  try {
    return await handler(job);
  } catch (error) {
    return { status: 'failed', reason: errorText(error), retry: true };
  }
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

const maxBackoffMs = 15 * 60_000;

/** Exponential backoff before attempt `attempt + 1`: base, 2×base, 4×base, … capped at 15 minutes. */
export function retryDelayMs(attempt: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), maxBackoffMs);
}

export function checkEnqueueOptions(options: EnqueueOptions): Required<EnqueueOptions> {
  const priority = options.priority ?? 0;
  const maxAttempts = options.maxAttempts ?? 3;
  if (!options.dedupeKey) throw new Error('A job needs a dedupe key');
  if (!Number.isInteger(priority) || priority < minPriority || priority > maxPriority) {
    throw new Error(`Job priority must be an integer from ${minPriority} to ${maxPriority}`);
  }
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new Error('Job maxAttempts must be a positive integer');
  }
  return {
    dedupeKey: options.dedupeKey,
    priority,
    maxAttempts,
    runAt: options.runAt ?? new Date(),
  };
}

export interface JobLogger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export function laneEntries(lanes: JobLanes | undefined): [JobName, number][] {
  return Object.entries(lanes ?? {}) as [JobName, number][];
}

/** The job's own lane, or undefined when it takes one of the shared slots. */
export function laneOf(lanes: JobLanes | undefined, name: string): JobName | undefined {
  return lanes && name in lanes ? (name as JobName) : undefined;
}
