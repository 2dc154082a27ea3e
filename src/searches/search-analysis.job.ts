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
import type { AnalysisCheckpoint } from '../recognition/recognition.types.js';
import { isAppError } from '../shared/app-error.js';
import { nowIso } from '../shared/clock.js';
import type { SearchRow, SearchVideoRow } from '../db/tables/search.table.js';
import { checkpointWriter } from './checkpoint.writer.js';
import { publishProgress } from './search.events.js';
import {
  findSearch,
  findSearchVideoById,
  findVideo,
  markSearchStarted,
  transitionSearchVideo,
} from './search.repository.js';
import { settleSearchStatus } from './search.service.js';
import { cutMissingClips, storeMatch, type AnalysisTarget } from './result.writer.js';
import { runLiveAnalysis } from '../live/live-analysis.job.js';

/** Attempts of one analysis job before its video is marked failed. */
export const ANALYSIS_MAX_ATTEMPTS = 3;

/** Errors that describe the footage itself: retrying cannot help, the video is failed at once. */
const FOOTAGE_ERRORS = new Set(['UNSUPPORTED_VIDEO', 'NO_VIDEO_STREAM', 'EMPTY_FILE', 'NOT_FOUND']);

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

/**
 * The analysis of one video of one search: decode from the last checkpoint, recognise, store
 * matches as they come, checkpoint about once a second, cut the clips, and settle the search.
 * A pause or cancel (a status change in the database, or the job's signal) stops it within a
 * checkpoint; a restart resumes it from the checkpoint with the same appearances.
 */
async function analyse(
  deps: AppDeps,
  job: JobContext<AnalysisJobName>,
  search: SearchRow,
  sv: SearchVideoRow,
): Promise<JobResult> {
  const video = await findVideo(deps.db, sv.video_id);
  if (video?.kind === 'live') return runLiveAnalysis(deps, job, search, sv, video);
  if (!video?.storage_key) {
    await failVideo(deps, search, sv, 'NOT_FOUND', 'The video file is no longer stored');
    return { status: 'failed', reason: 'video file missing', retry: false };
  }
  const references = await loadReferenceFaces(deps, search.missing_person_id);
  if (references.length === 0) {
    await failVideo(deps, search, sv, 'VALIDATION_FAILED', 'The case has no enrolled photo left');
    return { status: 'failed', reason: 'no reference embeddings', retry: false };
  }
  const settings = resolveSettings(search.preset, {
    sampledFps: search.sampled_fps,
    threshold: search.threshold,
  });
  const checkpoint = sv.checkpoint ? (JSON.parse(sv.checkpoint) as AnalysisCheckpoint) : undefined;
  const target: AnalysisTarget = {
    ownerId: search.owner_id,
    searchId: search.id,
    searchVideoId: sv.id,
    videoId: sv.video_id,
  };

  const stop = new AbortController();
  const onJobAbort = () => stop.abort(job.signal.reason);
  job.signal.addEventListener('abort', onJobAbort, { once: true });
  const file = await deps.storage.openLocal(video.storage_key);
  try {
    const info = await deps.media.probeVideo(file.path, { signal: stop.signal });
    if (sv.duration_ms !== info.durationMs) {
      await transitionSearchVideo(deps.db, sv.id, ['running'], { duration_ms: info.durationMs });
    }
    const frames = deps.media.decodeFrames(file.path, {
      sampledFps: settings.sampledFps,
      maxSide: settings.maxSide,
      startMs: checkpoint?.processedMs,
      signal: stop.signal,
      info,
    });
    const saveProgress = checkpointWriter(deps.db, sv.id, checkpoint);
    for await (const event of analyseFrames({
      frames,
      references,
      settings,
      engine: deps.faces,
      resumeFrom: checkpoint,
      signal: stop.signal,
    })) {
      if (event.type === 'match') {
        await storeMatch(deps, target, event.appearance, event.bestFrame);
        continue;
      }
      const saved = await saveProgress(event);
      if (saved === 'stopped') stop.abort(new StoppedByUser());
      else if (saved === 'saved') await publishProgress(deps, search, sv.id);
    }
    stop.signal.throwIfAborted();
    await cutMissingClips(deps, target, file.path, info, stop.signal);
    const now = nowIso();
    const completed = await transitionSearchVideo(deps.db, sv.id, ['running'], {
      status: 'completed',
      processed_ms: info.durationMs,
      finished_at: now,
      updated_at: now,
    });
    if (!completed) return { status: 'skipped', reason: 'paused or cancelled at the end' };
    await publishProgress(deps, search, sv.id);
    await settleSearchStatus(deps, search.id);
    return { status: 'success' };
  } catch (error) {
    if (stop.signal.aborted) {
      const reason: unknown = stop.signal.reason;
      const byUser =
        reason instanceof StoppedByUser ||
        (reason instanceof JobInterruption && reason.kind === 'cancelled');
      if (byUser) return { status: 'skipped', reason: 'the search was paused or cancelled' };
      // Shutdown or a lost lease: the queue runs the job again, from the last checkpoint.
      throw reason;
    }
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
    job.signal.removeEventListener('abort', onJobAbort);
    await file.release();
  }
}

/** Handler of `search.analyse-video` and `search.watch-live-feed`; register it for both names. */
export function searchAnalysisHandler(deps: AppDeps): JobHandler<AnalysisJobName> {
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
    return analyse(deps, job, search, { ...sv, status: 'running' });
  };
}
