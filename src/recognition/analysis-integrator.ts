/*
 * The end of the analysis pipeline: each frame's faces, in frame order, go to the tracker, and the
 * tracks that became, grew or ended as matches come out as events.
 */
import {
  PIPELINE_DEPTH,
  startingState,
  type LoopState,
  type StoredFace,
} from './analysis-state.js';
import type { FramePlan } from './analysis-planner.js';
import type {
  AnalysisCheckpoint,
  AnalysisEvent,
  AnalysisSettings,
  AnalysisStats,
  ReferenceFace,
  RgbFrame,
} from './recognition.types.js';
import { similarityToReferences } from './similarity.js';
import {
  closeAll,
  needDescription,
  toAppearance,
  trackedFaces,
  updateTracks,
  type Observation,
  type Track,
  type TrackUpdate,
} from './tracker.js';

const PROGRESS_EVERY_MS = 1000;
/** A growing match is reported again after this much more video (or at once for a better face). */
const REPORT_EVERY_MS = 1000;

/** Faces as the tracker sees them, scored against the person. */
export function observe(
  faces: StoredFace[],
  timeMs: number,
  references: ReferenceFace[],
): Observation[] {
  return faces.map((face) => {
    const descriptor = face.descriptor ? Float32Array.from(face.descriptor) : null;
    return {
      timeMs,
      box: face.box,
      quality: face.quality,
      descriptor,
      score: descriptor ? similarityToReferences(descriptor, references) : null,
    };
  });
}

export interface IntegratorOptions {
  settings: AnalysisSettings;
  references: ReferenceFace[];
  stats: AnalysisStats;
  resumeFrom?: AnalysisCheckpoint;
}

/** Feeds each analysed frame's faces to the tracker and says what the user should hear of it. */
export class FrameIntegrator {
  /** The checkpointed state; `history` and `tracker` are what the planner and requests read. */
  readonly state: LoopState;
  /** Time of the last frame integrated; frames up to it are done. */
  processedMs: number;
  private framesAnalysed: number;
  /** Pixels of each open track's best face so far. */
  private readonly bestFrames = new Map<string, RgbFrame>();
  private readonly options: IntegratorOptions;

  constructor(options: IntegratorOptions) {
    this.options = options;
    this.state = startingState(options.resumeFrom);
    this.processedMs = options.resumeFrom?.processedMs ?? -1;
    this.framesAnalysed = options.resumeFrom?.framesAnalysed ?? 0;
  }

  checkpoint(): AnalysisCheckpoint {
    return {
      processedMs: this.processedMs,
      framesAnalysed: this.framesAnalysed,
      state: structuredClone(this.state),
    };
  }

  /**
   * Of the faces a request left undescribed for one in flight (`deferred`), those the tracks cannot
   * do without (see `needDescription`).
   */
  leftOverToDescribe(faces: StoredFace[], timeMs: number): StoredFace[] {
    const deferred = faces.filter((face) => face.deferred);
    const observations = observe(deferred, timeMs, this.options.references);
    const previousMs = this.state.history.at(-1)?.timeMs ?? -Infinity;
    const wanted = needDescription(
      this.state.tracker,
      observations,
      previousMs,
      this.options.settings,
    );
    return deferred.filter((_, index) => wanted.includes(observations[index]!));
  }

  /** Adds the next frame's faces (`frame` holds its pixels) and yields the events they cause. */
  *integrate(plan: FramePlan, frame: RgbFrame, faces: StoredFace[]): Generator<AnalysisEvent> {
    const started = performance.now();
    const timeMs = frame.timeMs;
    const update = this.track(plan, frame, faces);
    this.processedMs = timeMs;
    this.framesAnalysed++;
    this.options.stats.framesAnalysed++;
    this.options.stats.matchMs += performance.now() - started;
    yield* this.reportUpdate(update, timeMs);
    if (timeMs - this.state.lastProgressMs >= PROGRESS_EVERY_MS) {
      this.state.lastProgressMs = timeMs;
      yield this.progress();
    }
  }

  /** Ends every open track at the end of the frames, and yields the matches and the last progress. */
  *finish(): Generator<AnalysisEvent> {
    for (const track of closeAll(this.state.tracker, this.options.settings)) {
      if (track.confirmed) yield* this.report(track, true, this.processedMs);
    }
    this.state.lastProgressMs = this.processedMs;
    yield this.progress();
  }

  private progress(): AnalysisEvent {
    const { processedMs, framesAnalysed } = this;
    return { type: 'progress', processedMs, framesAnalysed, checkpoint: this.checkpoint() };
  }

  private track(plan: FramePlan, frame: RgbFrame, faces: StoredFace[]): TrackUpdate {
    const { state, options } = this;
    const timeMs = frame.timeMs;
    if (plan.kind === 'reuse') {
      options.stats.framesReused++;
    } else {
      state.analysedSignature = plan.signature;
      state.analysedMs = timeMs;
      state.analysedFaces = faces;
    }
    state.previousSignature = plan.signature;
    state.lastKeyframeMs = plan.keyframeMs;
    const observations = observe(faces, timeMs, options.references);
    const update = updateTracks(
      state.tracker,
      timeMs,
      observations,
      options.settings,
      plan.searched,
    );
    for (const track of [...update.confirmed, ...update.grown]) {
      if (track.best?.timeMs === timeMs) this.bestFrames.set(track.key, frame);
    }
    for (const track of state.tracker.open) {
      if (!track.confirmed && track.best?.timeMs === timeMs) this.bestFrames.set(track.key, frame);
    }
    state.frameIndex = plan.frameIndex + 1;
    state.history = [
      ...state.history.filter((entry) => entry.frameIndex > plan.frameIndex - PIPELINE_DEPTH),
      {
        frameIndex: plan.frameIndex,
        timeMs,
        tracked: trackedFaces(state.tracker, timeMs, options.settings),
        requested: plan.requested,
        signature: plan.signature,
        fresh: plan.fresh,
      },
    ];
    return update;
  }

  private *reportUpdate(update: TrackUpdate, timeMs: number): Generator<AnalysisEvent> {
    for (const track of update.closed) {
      if (track.confirmed) yield* this.report(track, true, timeMs);
      this.bestFrames.delete(track.key);
    }
    for (const track of update.confirmed) yield* this.report(track, false, timeMs);
    for (const track of update.grown) {
      const betterFace = track.best?.timeMs === timeMs;
      if (betterFace || timeMs - track.reportedMs >= REPORT_EVERY_MS)
        yield* this.report(track, false, timeMs);
    }
    for (const key of [...this.bestFrames.keys()]) {
      if (!this.state.tracker.open.some((track) => track.key === key)) this.bestFrames.delete(key);
    }
  }

  private *report(track: Track, final: boolean, timeMs: number): Generator<AnalysisEvent> {
    track.reportedMs = timeMs;
    yield {
      type: 'match',
      appearance: toAppearance(track),
      final,
      bestFrame: this.bestFrames.get(track.key) ?? null,
    };
    if (final) this.bestFrames.delete(track.key);
  }
}
