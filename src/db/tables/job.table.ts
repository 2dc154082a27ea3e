import type { Insertable, Selectable } from 'kysely';

export type JobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface JobsTable {
  id: string;
  name: string;
  /** Same key, same job: enqueueing twice never processes the same thing twice. */
  dedupe_key: string;
  payload: string;
  status: JobStatus;
  priority: number;
  attempts: number;
  max_attempts: number;
  run_at: string;
  lease_until: string | null;
  locked_by: string | null;
  last_error: string | null;
  result: string | null;
  created_at: string;
  updated_at: string;
}

export type JobRow = Selectable<JobsTable>;
export type NewJob = Insertable<JobsTable>;
