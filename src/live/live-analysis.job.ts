import { loadReferenceFaces } from '../cases/person-photo.service.js';
import type { AppDeps } from '../deps.js';
import {
  JobInterruption,
  type AnalysisJobName,
  type JobContext,
  type JobResult,
} from '../jobs/job.types.js';
import { analyseFrames } from '../recognition/analysis.js';
import { resolveSettings } from '../recognition/presets.js';
import type {
  AnalysisCheckpoint,
  AnalysisSettings,
  FaceEngine,
} from '../recognition/recognition.types.js';
import { findAppearance, listAppearances } from '../searches/result.repository.js';
import { storeMatch, type AnalysisTarget } from '../searches/result.writer.js';
import { checkpointWriter } from '../searches/checkpoint.writer.js';
import { publishProgress, publishSearchEvent } from '../searches/search.events.js';
import { toAppearance } from '../searches/search.mapper.js';
import { findSearchVideoById, transitionSearchVideo } from '../searches/search.repository.js';
import { settleSearchStatus } from '../searches/search.service.js';
import type { SearchRow, SearchVideoRow } from '../db/tables/search.table.js';
import { nowIso } from '../shared/clock.js';
import type { VideoRow } from '../db/tables/video.table.js';
import { sendLiveMatchAlerts, type LiveAlertContext } from './live-alert.service.js';
import { cutLiveClips } from './live-clip.service.js';
import { openLiveFrames } from './live-feed.frames.js';
import { liveFeedAccess } from './live-feed.input.js';
import { relayDir, startHlsRelay } from './live-feed.relay.js';
import { reportLiveFeed, type LiveFeedStatus } from './live-feed.state.js';
import { superviseLiveFeed } from './live-feed.supervisor.js';
import { findAlertSettings, findPersonName } from './live.repository.js';

/** How often a feed with no frames (offline) checks whether the search was paused or cancelled. */
const STATUS_POLL_MS = 2000;

class StoppedByUser extends Error {}
class EndReached extends Error {}

/**
 * The analysis of one live feed of one search: the same engine as for recorded footage on the
 * frames of the stream, until the search is paused, cancelled or reaches its end time. Frame
 * times are milliseconds since the search video first started (so they keep growing across a
 * pause and a restart, and resume from the checkpoint without duplicates). Meanwhile the feed is
 * relayed as HLS for the browser, every new match is stored and alerted at once, each finished
 * appearance gets a clip cut from the relay, and a feed that drops is reported offline and
 * reconnected with backoff while the search goes on.
 *
 * Call it from the `search.watch-live-feed` handler (a video of kind `live`), after the search
 * video was moved to `running` (the same point as the file analysis).
 */
export async function runLiveAnalysis(
  deps: AppDeps,
  job: JobContext<AnalysisJobName>,
  search: SearchRow,
  sv: SearchVideoRow,
  video: VideoRow,
): Promise<JobResult> {
  const url = video.source_url;
  const [references, alerts, person] = await Promise.all([
    loadReferenceFaces(deps, search.missing_person_id),
    findAlertSettings(deps.db, search.id),
    findPersonName(deps.db, search.missing_person_id),
  ]);
  if (!url || references.length === 0 || !alerts || !person) {
    const now = nowIso();
    await transitionSearchVideo(deps.db, sv.id, ['running'], {
      status: 'failed',
      error_code: 'VALIDATION_FAILED',
      error_message: url ? 'The case has no enrolled photo left' : 'The live feed has no URL',
      finished_at: now,
      updated_at: now,
    });
    await settleSearchStatus(deps, search.id);
    return { status: 'failed', reason: 'nothing to analyse', retry: false };
  }

  const access = liveFeedAccess(deps);
  const settings = resolveSettings(search.preset, {
    sampledFps: search.sampled_fps,
    threshold: search.threshold,
  });
  const checkpoint = sv.checkpoint ? (JSON.parse(sv.checkpoint) as AnalysisCheckpoint) : undefined;
  const epochMs = Date.parse(sv.started_at ?? nowIso());
  const target: AnalysisTarget = {
    ownerId: search.owner_id,
    searchId: search.id,
    searchVideoId: sv.id,
    videoId: sv.video_id,
  };
  const ids = { searchId: search.id, searchVideoId: sv.id, videoId: sv.video_id };
  const alertContext: LiveAlertContext = {
    searchId: search.id,
    ownerId: search.owner_id,
    videoId: sv.video_id,
    cameraTitle: video.title,
    person,
    epochMs,
    alerts,
  };
  const stallMs = deps.config.LIVE_STALL_SECONDS * 1000;
  const maxBackoffMs = deps.config.LIVE_MAX_BACKOFF_SECONDS * 1000;

  const stop = new AbortController();
  const onJobAbort = () => stop.abort(job.signal.reason);
  job.signal.addEventListener('abort', onJobAbort, { once: true });
  const endsAt = alerts.ends_at ? Date.parse(alerts.ends_at) : null;
  const endTimer =
    endsAt === null
      ? undefined
      : setTimeout(() => stop.abort(new EndReached()), Math.max(0, endsAt - Date.now()));
  const statusPoll = setInterval(() => {
    void findSearchVideoById(deps.db, sv.id).then((row) => {
      if (row && row.status !== 'running') stop.abort(new StoppedByUser());
    });
  }, STATUS_POLL_MS);

  // State reports are chained so they reach the database and the page in order.
  let lastState: LiveFeedStatus['state'] | null = null;
  let reports = Promise.resolve();
  const report = (status: LiveFeedStatus) => {
    const previous = lastState;
    lastState = status.state;
    reports = reports
      .then(() => reportLiveFeed(deps, ids, status, previous))
      .catch(() => undefined);
  };
  // Alerts and clips run beside the analysis so a slow receiver never delays the next frame.
  const background = new Set<Promise<unknown>>();
  const inBackground = (task: Promise<unknown>) => {
    const tracked = task.catch(() => undefined).finally(() => background.delete(tracked));
    background.add(tracked);
  };

  const relay = startHlsRelay(access, url, relayDir(deps.config.DATA_DIR, search.id, sv.video_id), {
    ioTimeoutMs: stallMs,
    maxBackoffMs,
  });
  const feed = superviseLiveFeed(
    () =>
      openLiveFrames(access, url, {
        sampledFps: settings.sampledFps,
        maxSide: settings.maxSide,
        epochMs,
        stallMs,
        signal: stop.signal,
      }),
    {
      signal: stop.signal,
      maxBackoffMs,
      onState: (state) => {
        const stats = feed.stats();
        report({
          state: state.state,
          lagMs: null,
          droppedFrames: stats.dropped,
          reconnects: stats.reconnects,
          retryInMs: state.state === 'offline' ? state.retryInMs : null,
          error: state.state === 'offline' ? state.reason : null,
        });
      },
    },
  );
  // The model's first frame in each worker costs seconds (loading, compiling); paying that before
  // the feed opens keeps it out of the delay of the first match.
  await warmUp(deps.faces, settings);
  const known = new Set(
    (await listAppearances(deps.db, search.id, { searchVideoId: sv.id })).map((a) => a.track_key),
  );

  report({
    state: 'connecting',
    lagMs: null,
    droppedFrames: 0,
    reconnects: 0,
    retryInMs: null,
    error: null,
  });
  // Progress, checkpoints and lag reports are written at most once a second.
  const saveProgress = checkpointWriter(deps.db, sv.id, checkpoint);
  try {
    for await (const event of analyseFrames({
      frames: feed,
      references,
      settings,
      engine: deps.faces,
      resumeFrom: checkpoint,
      signal: stop.signal,
    })) {
      if (event.type === 'match') {
        const { appearance } = event;
        await storeMatch(deps, target, appearance, event.bestFrame);
        if (!known.has(appearance.trackKey)) {
          known.add(appearance.trackKey);
          inBackground(alertNewMatch(deps, alertContext, target, appearance.trackKey, stop.signal));
        }
        if (event.final) {
          const trackKeys = new Set([appearance.trackKey]);
          inBackground(
            cutLiveClips(deps, target, relay, epochMs, { trackKeys, signal: stop.signal }).then(
              (done) => publishAppearances(deps, search.id, done),
            ),
          );
        }
        continue;
      }
      const saved = await saveProgress(event);
      if (saved === 'skipped') continue;
      if (saved === 'stopped') {
        stop.abort(new StoppedByUser());
        break;
      }
      const stats = feed.stats();
      // Frames still in the pipeline finish after the feed dropped: they must not report it online.
      if (stats.online)
        report({
          state: 'online',
          lagMs: Math.max(0, Date.now() - (epochMs + event.processedMs)),
          droppedFrames: stats.dropped,
          reconnects: stats.reconnects,
          retryInMs: null,
          error: null,
        });
      await publishProgress(deps, search, sv.id);
    }
    throw new Error('the live feed ended, which a supervised feed never does');
  } catch (error) {
    const reason: unknown = stop.signal.reason;
    if (!stop.signal.aborted) throw error;
    if (reason instanceof EndReached) {
      await finish(deps, search, sv, relay, epochMs, target, background, 'completed');
      return { status: 'success' };
    }
    const byUser =
      reason instanceof StoppedByUser ||
      (reason instanceof JobInterruption && reason.kind === 'cancelled');
    await finish(deps, search, sv, relay, epochMs, target, background, null);
    if (byUser) return { status: 'skipped', reason: 'the search was paused or cancelled' };
    // Shutdown or a lost lease: the queue runs the job again and it carries on from the checkpoint.
    throw reason;
  } finally {
    clearTimeout(endTimer);
    clearInterval(statusPoll);
    job.signal.removeEventListener('abort', onJobAbort);
    await reports;
  }
}

/**
 * Wraps up a live analysis: waits for the alerts under way, cuts the clips still missing from
 * what the relay holds, removes the relay, and (at the end time) completes the search video.
 */
async function finish(
  deps: AppDeps,
  search: SearchRow,
  sv: SearchVideoRow,
  relay: ReturnType<typeof startHlsRelay>,
  epochMs: number,
  target: AnalysisTarget,
  background: Set<Promise<unknown>>,
  outcome: 'completed' | null,
): Promise<void> {
  await Promise.all(background);
  await relay.stop();
  const clipped = await cutLiveClips(deps, target, relay, epochMs).catch(() => []);
  await publishAppearances(deps, search.id, clipped);
  await relay.remove();
  if (outcome === 'completed') {
    const now = nowIso();
    await transitionSearchVideo(deps.db, sv.id, ['running'], {
      status: 'completed',
      finished_at: now,
      updated_at: now,
    });
    await publishProgress(deps, search, sv.id);
    await settleSearchStatus(deps, search.id);
  }
}

async function warmUp(engine: FaceEngine, settings: AnalysisSettings): Promise<void> {
  const side = Math.min(settings.maxSide, 640);
  await Promise.all(
    Array.from({ length: engine.concurrency }, () =>
      engine.detectFaces(
        {
          data: new Uint8Array(side * side * 3).fill(128),
          width: side,
          height: side,
          timeMs: 0,
          sourceWidth: side,
          sourceHeight: side,
        },
        settings,
      ),
    ),
  );
}

async function alertNewMatch(
  deps: AppDeps,
  context: LiveAlertContext,
  target: AnalysisTarget,
  trackKey: string,
  signal: AbortSignal,
): Promise<void> {
  const rows = await listAppearances(deps.db, target.searchId, {
    searchVideoId: target.searchVideoId,
  });
  const row = rows.find((candidate) => candidate.track_key === trackKey);
  if (!row) return;
  await sendLiveMatchAlerts(deps, context, toAppearance(row), row.best_detection_id, signal);
}

async function publishAppearances(deps: AppDeps, searchId: string, ids: string[]): Promise<void> {
  for (const id of ids) {
    const row = await findAppearance(deps.db, searchId, id);
    if (row) {
      await publishSearchEvent(deps, {
        type: 'search.detection',
        searchId,
        appearance: toAppearance(row),
      });
    }
  }
}
