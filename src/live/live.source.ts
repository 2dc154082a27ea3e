import type { AppDeps } from '../deps.js';
import { relayKeyPrefix, startHlsRelay, type HlsRelay } from '../media/live.relay.js';
import type { AnalysisSettings, FaceEngine } from '../recognition/recognition.types.js';
import type {
  AnalysisRun,
  AnalysisSource,
  AnalysisTarget,
  OpenAnalysisSource,
} from '../searches/analysis.source.js';
import {
  analysedTrackKeys,
  completeSearchVideo,
  publishAppearances,
  trackAppearance,
} from '../searches/analysis.service.js';
import { sendLiveMatchAlerts, type LiveAlertContext } from './live-alert.service.js';
import { cutLiveClips } from './live-clip.service.js';
import { reportLiveFeed, type LiveFeedStatus } from './live-feed.state.js';
import { superviseLiveFeed, type SupervisedFeed } from './live-feed.supervisor.js';
import { readAlertSettings, readPersonName } from './live.sealing.js';
import { openVideoRow } from '../videos/video.service.js';

/** The run reached the search's end time. */
class EndReached extends Error {}

/**
 * A live feed as a frame source that does not end: the analysis runs on the stream until the
 * search is paused, cancelled or reaches its end time. Frame times are milliseconds since the
 * search video first started (so they keep growing across a pause and a restart, and resume from
 * the checkpoint without duplicates). One camera connection at a time carries both the frames and
 * the HLS relay for the browser (stored through storage); every new match is alerted at once,
 * each finished appearance gets a clip cut from the relay, and a feed that drops is reported
 * offline and reconnected with backoff while the search goes on.
 */
export const liveAnalysisSource: OpenAnalysisSource = async (run) => {
  const { deps, search, video } = run;
  const { source_url: url } = await openVideoRow(deps.fields, video);
  const [alerts, person] = await Promise.all([
    readAlertSettings(deps, search),
    readPersonName(deps, search.missing_person_id),
  ]);
  if (!url || !alerts || !person) {
    const message = url
      ? 'The search has no live settings or person left'
      : 'The live feed has no URL';
    return { refused: { code: 'VALIDATION_FAILED', message, reason: 'nothing to analyse' } };
  }
  const epochMs = Date.parse(run.sv.started_at ?? new Date().toISOString());
  const endsAt = alerts.ends_at ? Date.parse(alerts.ends_at) : null;
  const endTimer =
    endsAt === null
      ? undefined
      : setTimeout(() => run.stop(new EndReached()), Math.max(0, endsAt - Date.now()));
  const alertContext: LiveAlertContext = {
    ...{ searchId: search.id, ownerId: search.owner_id, videoId: video.id },
    ...{ cameraTitle: video.title, person, epochMs, alerts },
  };
  const prefix = relayKeyPrefix(search.owner_id, search.id, video.id);
  const relay = await startHlsRelay(deps.storage, prefix);
  const feed = openFeed(run, url, relay, epochMs);
  try {
    // The model's first frame in each worker costs seconds (loading, compiling); paying that
    // before the feed opens keeps it out of the delay of the first match.
    await warmUp(deps.faces, run.settings);
    const known = await analysedTrackKeys(deps.db, run.target);
    feed.reporter.report({ ...OFFLINE_TOTALS, state: 'connecting' });
    return liveSource(run, { feed, relay, epochMs, endTimer, alertContext, known });
  } catch (error) {
    clearTimeout(endTimer);
    await relay.remove();
    throw error;
  }
};

interface LiveParts {
  feed: ReturnType<typeof openFeed>;
  relay: HlsRelay;
  epochMs: number;
  endTimer: NodeJS.Timeout | undefined;
  alertContext: LiveAlertContext;
  /** Track keys of the appearances already alerted. */
  known: Set<string>;
}

/** What the live feed adds to the runner's loop: alerts, clips, state, the end and the wrap-up. */
function liveSource(run: AnalysisRun, parts: LiveParts): AnalysisSource {
  const { deps, search, target } = run;
  const { feed, relay, epochMs, known } = parts;
  const background = backgroundTasks();
  let removed = false;
  const wrapUp = async () => {
    await feed.close();
    await background.settled();
    await relay.stop();
    const clipped = await cutLiveClips(deps, target, relay, epochMs).catch(() => []);
    await publishAppearances(deps, search.id, clipped);
    removed = true;
    await relay.remove();
  };
  return {
    frames: feed,
    watchStatus: true,
    onMatch({ appearance, final }) {
      if (!known.has(appearance.trackKey)) {
        known.add(appearance.trackKey);
        const { trackKey } = appearance;
        background.add(alertNewMatch(deps, parts.alertContext, target, trackKey, run.signal));
      }
      if (!final) return;
      const trackKeys = new Set([appearance.trackKey]);
      const clips = cutLiveClips(deps, target, relay, epochMs, { trackKeys, signal: run.signal });
      background.add(clips.then((done) => publishAppearances(deps, search.id, done)));
    },
    onProgress(event) {
      const stats = feed.stats();
      // Frames still in the pipeline finish after the feed dropped: they must not report it online.
      if (!stats.online) return;
      feed.reporter.report({
        ...OFFLINE_TOTALS,
        state: 'online',
        lagMs: Math.max(0, Date.now() - (epochMs + event.processedMs)),
        droppedFrames: stats.dropped,
        reconnects: stats.reconnects,
      });
    },
    complete() {
      throw new Error('the live feed ended, which a supervised feed never does');
    },
    async stopped(reason) {
      await wrapUp();
      if (!(reason instanceof EndReached)) return undefined;
      await completeSearchVideo(deps, search, run.sv.id);
      return { status: 'success' };
    },
    async close() {
      clearTimeout(parts.endTimer);
      await feed.close();
      if (!removed) await relay.remove();
      await feed.reporter.settled();
    },
  };
}

const OFFLINE_TOTALS: Omit<LiveFeedStatus, 'state'> = {
  lagMs: null,
  droppedFrames: 0,
  reconnects: 0,
  retryInMs: null,
  error: null,
};

/** The supervised feed of a run (frames and relay over one connection) and its state reports. */
function openFeed(
  run: AnalysisRun,
  url: string,
  relay: HlsRelay,
  epochMs: number,
): SupervisedFeed & { reporter: ReturnType<typeof stateReporter> } {
  const { deps, settings } = run;
  const reporter = stateReporter(deps, {
    searchId: run.search.id,
    searchVideoId: run.sv.id,
    videoId: run.video.id,
  });
  const feed: SupervisedFeed = superviseLiveFeed(
    () =>
      deps.media.openLiveFeed(url, {
        policy: deps.outbound.liveFeeds,
        sampledFps: settings.sampledFps,
        maxSide: settings.maxSide,
        epochMs,
        stallMs: deps.config.LIVE_STALL_SECONDS * 1000,
        signal: run.signal,
        relay,
      }),
    {
      signal: run.signal,
      maxBackoffMs: deps.config.LIVE_MAX_BACKOFF_SECONDS * 1000,
      onState: (state) => {
        const stats = feed.stats();
        reporter.report({
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
  return Object.assign(feed, { reporter });
}

/** State reports, chained so they reach the database and the page in order. */
function stateReporter(deps: AppDeps, ids: Parameters<typeof reportLiveFeed>[1]) {
  let lastState: LiveFeedStatus['state'] | null = null;
  let reports = Promise.resolve();
  return {
    report(status: LiveFeedStatus) {
      const previous = lastState;
      lastState = status.state;
      reports = reports
        .then(() => reportLiveFeed(deps, ids, status, previous))
        .catch(() => undefined);
    },
    settled: () => reports,
  };
}

/** Alerts and clips run beside the analysis so a slow receiver never delays the next frame. */
function backgroundTasks() {
  const running = new Set<Promise<unknown>>();
  return {
    add(task: Promise<unknown>) {
      const tracked = task.catch(() => undefined).finally(() => running.delete(tracked));
      running.add(tracked);
    },
    settled: () => Promise.all(running),
  };
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
  const found = await trackAppearance(deps.db, target, trackKey);
  if (!found) return;
  await sendLiveMatchAlerts(deps, context, found.appearance, found.bestDetectionId, signal);
}
