import { loadReferenceFaces } from '../cases/person-photo.service.js';
import type { AppDeps } from '../deps.js';
import {
  JobInterruption,
  type AnalysisJobName,
  type JobContext,
  type JobHandler,
  type JobResult,
} from '../jobs/job.types.js';
import { analyseFrames } from '../recognition/analysis.js';
import { resolveSettings } from '../recognition/presets.js';
import type { AnalysisCheckpoint, ReferenceFace } from '../recognition/recognition.types.js';
import { isAppError } from '../shared/app-error.js';
import { nowIso } from '../shared/clock.js';
import type { SearchRow, SearchVideoRow } from '../db/tables/search.table.js';
import type { VideoRow } from '../db/tables/video.table.js';
import type {
  AnalysisRun,
  AnalysisSource,
  AnalysisSources,
  OpenAnalysisSource,
} from './analysis.source.js';
import { checkpointWriter } from './checkpoint.writer.js';
import { storeMatch } from './result.writer.js';
import { publishProgress } from './search-events.service.js';
import {
  findSearch,
  findSearchVideoById,
  findVideo,
  markSearchStarted,
  transitionSearchVideo,
} from './search.repository.js';
import { settleSearchStatus } from './search.service.js';

/** Attempts of one analysis job before its video is marked failed. */
export const ANALYSIS_MAX_ATTEMPTS = 3;

/** Errors that describe the footage itself: retrying cannot help, the video is failed at once. */
const FOOTAGE_ERRORS = new Set(['UNSUPPORTED_VIDEO', 'NO_VIDEO_STREAM', 'EMPTY_FILE', 'NOT_FOUND']);

/** How often a source that can go quiet (`watchStatus`) checks whether the search was paused or cancelled. */
const STATUS_POLL_MS = 2000;

class StoppedByUser extends Error {}

async function failVideo(
  deps: AppDeps,
  search: SearchRow,
  sv: SearchVideoRow,
  code: string,
  message: string,
): Promise<void> {
  const now = nowIso();
  await transitionSearchVideo(deps.db, sv.id, ['queued', 'running'], {
    status: 'failed',
    error_code: code,
    error_message: message,
    finished_at: now,
    updated_at: now,
  });
  await publishProgress(deps, search, sv.id);
  await settleSearchStatus(deps, search.id);
}

/** The run's stop signal: the job's own, a status poll (when asked), or the source's `stop`. */
function stopControls(run: Pick<AnalysisRun, 'deps' | 'job' | 'sv'>) {
  const stop = new AbortController();
  const onJobAbort = () => stop.abort(run.job.signal.reason);
  run.job.signal.addEventListener('abort', onJobAbort, { once: true });
  let poll: NodeJS.Timeout | undefined;
  return {
    stop,
    watchStatus() {
      poll = setInterval(() => {
        void findSearchVideoById(run.deps.db, run.sv.id).then((row) => {
          if (row && row.status !== 'running') stop.abort(new StoppedByUser());
        });
      }, STATUS_POLL_MS);
    },
    release() {
      clearInterval(poll);
      run.job.signal.removeEventListener('abort', onJobAbort);
    },
  };
}

/** Feeds the source's frames to the engine: matches stored, checkpoints saved, progress published. */
async function analyseSource(
  run: AnalysisRun,
  source: AnalysisSource,
  references: ReferenceFace[],
): Promise<JobResult> {
  const { deps, search, sv } = run;
  const saveProgress = checkpointWriter(deps.db, sv.id, run.checkpoint);
  for await (const event of analyseFrames({
    frames: source.frames,
    references,
    settings: run.settings,
    engine: deps.faces,
    resumeFrom: run.checkpoint,
    signal: run.signal,
  })) {
    if (event.type === 'match') {
      await storeMatch(deps, run.target, event.appearance, event.bestFrame);
      source.onMatch?.(event);
      continue;
    }
    const saved = await saveProgress(event);
    if (saved === 'skipped') continue;
    if (saved === 'stopped') {
      run.stop(new StoppedByUser());
      break;
    }
    source.onProgress?.(event);
    await publishProgress(deps, search, sv.id);
  }
  run.signal.throwIfAborted();
  return source.complete();
}

/** What a stopped run answers: its source's own result, skipped for a user, else a retry. */
async function settleStop(source: AnalysisSource | undefined, reason: unknown) {
  const own = await source?.stopped(reason);
  if (own) return own;
  const byUser =
    reason instanceof StoppedByUser ||
    (reason instanceof JobInterruption && reason.kind === 'cancelled');
  if (byUser) return { status: 'skipped' as const, reason: 'the search was paused or cancelled' };
  // Shutdown or a lost lease: the queue runs the job again, from the last checkpoint.
  throw reason;
}

/**
 * The analysis of one video of one search, recorded or live (the `open` source says where frames
 * come from): recognise from the last checkpoint, store matches as they come, checkpoint about
 * once a second, and let the source finish the video. A pause or cancel (a status change in the
 * database, or the job's signal) stops it within a checkpoint; a restart resumes it from the
 * checkpoint with the same appearances.
 */
export async function runAnalysis(
  deps: AppDeps,
  job: JobContext<AnalysisJobName>,
  search: SearchRow,
  sv: SearchVideoRow,
  video: VideoRow,
  open: OpenAnalysisSource,
): Promise<JobResult> {
  const references = await loadReferenceFaces(deps, search.missing_person_id);
  if (references.length === 0) {
    await failVideo(deps, search, sv, 'VALIDATION_FAILED', 'The case has no enrolled photo left');
    return { status: 'failed', reason: 'no reference embeddings', retry: false };
  }
  const controls = stopControls({ deps, job, sv });
  const { stop } = controls;
  const run: AnalysisRun = {
    ...{ deps, job, search, sv, video },
    settings: resolveSettings(search.preset, {
      sampledFps: search.sampled_fps,
      threshold: search.threshold,
    }),
    checkpoint: sv.checkpoint ? (JSON.parse(sv.checkpoint) as AnalysisCheckpoint) : undefined,
    target: {
      ownerId: search.owner_id,
      searchId: search.id,
      searchVideoId: sv.id,
      videoId: video.id,
    },
    signal: stop.signal,
    stop: (reason) => stop.abort(reason),
  };
  let source: AnalysisSource | undefined;
  try {
    const opened = await open(run);
    if ('refused' in opened) {
      const { code, message, reason } = opened.refused;
      await failVideo(deps, search, sv, code, message);
      return { status: 'failed', reason, retry: false };
    }
    source = opened;
    if (source.watchStatus) controls.watchStatus();
    return await analyseSource(run, source, references);
  } catch (error) {
    if (stop.signal.aborted) return await settleStop(source, stop.signal.reason);
    if (isAppError(error) && FOOTAGE_ERRORS.has(error.code)) {
      await failVideo(deps, search, sv, error.code, error.message);
      return { status: 'failed', reason: error.message, retry: false };
    }
    if (job.attempt >= ANALYSIS_MAX_ATTEMPTS) {
      const message = error instanceof Error ? error.message : String(error);
      await failVideo(deps, search, sv, 'INTERNAL', `The analysis failed: ${message}`);
    }
    throw error;
  } finally {
    controls.release();
    await source?.close();
  }
}

/**
 * Handler of `search.analyse-video` and `search.watch-live-feed`; register it for both names,
 * with the frame source of each kind of video (`sources`).
 */
export function searchAnalysisHandler(
  deps: AppDeps,
  sources: AnalysisSources,
): JobHandler<AnalysisJobName> {
  return async (job) => {
    const [search, sv] = await Promise.all([
      findSearch(deps.db, job.payload.searchId),
      findSearchVideoById(deps.db, job.payload.searchVideoId),
    ]);
    if (!search || !sv) return { status: 'skipped', reason: 'the search no longer exists' };
    const now = nowIso();
    // `running` too: after a crash the re-run finds its own video still marked running.
    const started = await transitionSearchVideo(deps.db, sv.id, ['queued', 'running'], {
      status: 'running',
      started_at: sv.started_at ?? now,
      updated_at: now,
    });
    if (!started) return { status: 'skipped', reason: `the search video is ${sv.status}` };
    await markSearchStarted(deps.db, search.id, now);
    await settleSearchStatus(deps, search.id);
    await publishProgress(deps, search, sv.id);
    const video = await findVideo(deps.db, sv.video_id);
    const running = { ...sv, status: 'running' as const };
    if (!video) {
      await failVideo(deps, search, running, 'NOT_FOUND', 'The video file is no longer stored');
      return { status: 'failed', reason: 'video file missing', retry: false };
    }
    return runAnalysis(deps, job, search, running, video, sources[video.kind]);
  };
}
