import path from 'node:path';
import type { Config } from '../config.js';
import { masterKeyFiles, readKeySet } from '../crypto/master-key.js';
import type { JobHandler, JobQueue } from '../jobs/job.types.js';
import { archiveName, rotateArchives } from './backup-archive.adapter.js';
import { createBackup, type BackupDeps } from './backup.service.js';
import * as repo from './backup.repository.js';

type ScheduleConfig = Pick<
  Config,
  | 'DATA_DIR'
  | 'DATABASE_URL'
  | 'ENCRYPTION_KEY_FILE'
  | 'BACKUP_DIR'
  | 'BACKUP_INTERVAL_HOURS'
  | 'BACKUP_KEEP'
>;

export interface ScheduleDeps extends Omit<BackupDeps, 'masterKeys' | 'config'> {
  config: ScheduleConfig;
  queue: Pick<JobQueue, 'enqueue'>;
}

const HOUR_MS = 3_600_000;
/** After a failure the next attempt comes sooner than a full interval. */
const RETRY_MS = HOUR_MS;

const enabled = (config: ScheduleConfig) =>
  Boolean(config.BACKUP_DIR) && config.BACKUP_INTERVAL_HOURS > 0;

/**
 * When the next backup is due: an interval after the last success (sooner after a failure);
 * with none yet, the start of the current interval, so every process computes the same time.
 */
async function nextDue(deps: Pick<ScheduleDeps, 'db' | 'config'>, now = Date.now()): Promise<Date> {
  const interval = deps.config.BACKUP_INTERVAL_HOURS * HOUR_MS;
  const success = await repo.lastRun(deps.db, 'succeeded');
  const failure = await repo.lastRun(deps.db, 'failed');
  const due = success?.finished_at
    ? Date.parse(success.finished_at) + interval
    : Math.floor(now / interval) * interval;
  const failedSince =
    failure?.finished_at && (!success?.finished_at || failure.finished_at > success.finished_at);
  const retry = failedSince ? Date.parse(failure.finished_at!) + Math.min(interval, RETRY_MS) : due;
  return new Date(Math.min(due, retry));
}

/** Queues the next scheduled backup (one job per due time, whoever asks). */
export async function scheduleNextBackup(
  deps: Pick<ScheduleDeps, 'db' | 'config' | 'queue'>,
): Promise<void> {
  if (!enabled(deps.config)) return;
  const dueAt = (await nextDue(deps)).toISOString();
  await deps.queue.enqueue(
    'backup.scheduled',
    { dueAt },
    { dedupeKey: `backup:${dueAt}`, runAt: new Date(dueAt), maxAttempts: 1 },
  );
}

/** The job: one backup into BACKUP_DIR, then rotation (keep the newest BACKUP_KEEP), then the next. */
export function scheduledBackupHandler(deps: ScheduleDeps): JobHandler<'backup.scheduled'> {
  return async (job) => {
    const dir = deps.config.BACKUP_DIR;
    if (!enabled(deps.config) || !dir)
      return { status: 'skipped', reason: 'scheduled backups are off' };
    const success = await repo.lastRun(deps.db, 'succeeded');
    if (success?.finished_at && success.finished_at >= job.payload.dueAt) {
      await scheduleNextBackup(deps);
      return { status: 'skipped', reason: 'a backup was made since it was due' };
    }
    try {
      const masterKeys = readKeySet(masterKeyFiles(deps.config));
      if (!masterKeys) throw new Error('No master key file');
      await createBackup(
        { ...deps, masterKeys },
        { out: path.join(dir, archiveName(new Date())), kind: 'scheduled' },
      );
      await rotateArchives(dir, deps.config.BACKUP_KEEP);
      return { status: 'success' };
    } catch (error) {
      return { status: 'failed', reason: (error as Error).message, retry: false };
    } finally {
      await scheduleNextBackup(deps);
    }
  };
}

export interface BackupStatus {
  state: 'off' | 'ok' | 'failing' | 'overdue' | 'pending';
  lastSuccessAt: string | null;
  nextDueAt: string | null;
  /** The last failure's message when it came after the last success (administrators only). */
  lastError?: string | null;
}

/** The schedule's state for /api/health; `detailed` adds the last error. */
export async function backupStatus(
  deps: Pick<ScheduleDeps, 'db' | 'config'>,
  detailed: boolean,
): Promise<BackupStatus> {
  const success = await repo.lastRun(deps.db, 'succeeded');
  const failure = await repo.lastRun(deps.db, 'failed');
  const failing = Boolean(
    failure?.finished_at && (!success?.finished_at || failure.finished_at > success.finished_at),
  );
  const lastSuccessAt = success?.finished_at ?? null;
  if (!enabled(deps.config)) return { state: 'off', lastSuccessAt, nextDueAt: null };
  const due = await nextDue(deps);
  const overdue = Date.now() > due.getTime() + HOUR_MS;
  const state = failing ? 'failing' : overdue ? 'overdue' : lastSuccessAt ? 'ok' : 'pending';
  return {
    state,
    lastSuccessAt,
    nextDueAt: due.toISOString(),
    ...(detailed && { lastError: failing ? (failure?.error ?? null) : null }),
  };
}
