import { scheduleNextBackup, scheduledBackupHandler } from './backup/backup-schedule.service.js';
import type { AppDeps } from './deps.js';
import type { JobHandler, JobName, JobQueue } from './jobs/job.types.js';
import { liveAnalysisSource } from './live/live.source.js';
import { makeRetentionHandler, scheduleRetention } from './retention/retention.job.js';
import type { AnalysisSources } from './searches/analysis.source.js';
import { recordedAnalysisSource } from './searches/recorded.source.js';
import { searchAnalysisHandler } from './searches/search-analysis.job.js';
import { makeRenditionHandler } from './videos/video-rendition.job.js';

/** The one analysis runner reads recorded footage from storage and live feeds from their camera. */
const analysisSources: AnalysisSources = {
  upload: recordedAnalysisSource,
  live: liveAnalysisSource,
};

/**
 * Every job name → the factory of its handler: the composition root's one map, so `src/jobs/`
 * never imports a feature's job. The mapped type makes a job name (JobPayloads in
 * jobs/job.types.ts) without an entry here a compile error.
 */
const jobHandlers: { [N in JobName]: (deps: AppDeps) => JobHandler<N> } = {
  'video.make-rendition': makeRenditionHandler,
  'search.analyse-video': (deps) => searchAnalysisHandler(deps, analysisSources),
  'search.watch-live-feed': (deps) => searchAnalysisHandler(deps, analysisSources),
  'maintenance.retention': makeRetentionHandler,
  'backup.scheduled': scheduledBackupHandler,
};

function registerJobHandler<N extends JobName>(queue: JobQueue, name: N, deps: AppDeps): void {
  queue.registerHandler(name, jobHandlers[name](deps));
}

/**
 * Registers every job's handler on `queue`; the web process (embedded workers) and
 * `npm run worker` both call it, so both run the same handlers.
 */
export function registerJobHandlers(queue: JobQueue, deps: AppDeps): void {
  for (const name of Object.keys(jobHandlers) as JobName[]) registerJobHandler(queue, name, deps);
}

/**
 * Registers every handler and starts taking jobs from `deps.queue`, and queues the retention purge
 * (it runs at start-up and then daily; several processes starting at once queue it once).
 */
export async function startJobWorkers(deps: AppDeps): Promise<void> {
  registerJobHandlers(deps.queue, deps);
  await deps.queue.start();
  await scheduleRetention(deps.queue);
  await scheduleNextBackup(deps);
}
