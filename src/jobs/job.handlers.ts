import type { AppDeps } from '../deps.js';
import { liveAnalysisSource } from '../live/live.source.js';
import { recordedAnalysisSource } from '../searches/recorded.source.js';
import { searchAnalysisHandler } from '../searches/search-analysis.job.js';
import { makeRenditionHandler } from '../videos/video-rendition.job.js';
import type { JobQueue } from './job.types.js';

/**
 * The one place every job handler is registered, shared by the web process (embedded workers) and
 * `npm run worker`, so both run the same handlers. Each feature adds one line, e.g.
 * `queue.registerHandler('video.make-rendition', (job) => makeRendition(deps, job));`
 */
export function registerJobHandlers(queue: JobQueue, deps: AppDeps): void {
  queue.registerHandler('video.make-rendition', makeRenditionHandler(deps));
  const analysis = searchAnalysisHandler(deps, {
    upload: recordedAnalysisSource,
    live: liveAnalysisSource,
  });
  queue.registerHandler('search.analyse-video', analysis);
  queue.registerHandler('search.watch-live-feed', analysis);
}

/** Registers every handler and starts taking jobs from `deps.queue`. */
export async function startJobWorkers(deps: AppDeps): Promise<void> {
  registerJobHandlers(deps.queue, deps);
  await deps.queue.start();
}
