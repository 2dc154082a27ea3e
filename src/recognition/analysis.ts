import { frameSignature, isStill, isStillAround, planRegions } from './frame-signature.js';
import type {
  AnalysisCheckpoint,
  AnalysisEvent,
  AnalysisSettings,
  AnalysisStats,
  Box,
  FaceEngine,
  FrameFaces,
  ReferenceFace,
  RgbFrame,
} from './recognition.types.js';
import { iou, sameBox } from './geometry.js';
import { similarityToReferences } from './similarity.js';
import {
  closeAll,
  emptyTrackerState,
  needDescription,
  trackedFaces,
  toAppearance,
  updateTracks,
  type Observation,
  type Track,
  type Searched,
  type TrackedFace,
  type TrackerState,
} from './tracker.js';

export interface AnalyseFramesInput {
  frames: AsyncIterable<RgbFrame>;
  references: ReferenceFace[];
  settings: AnalysisSettings;
  engine: FaceEngine;
  resumeFrom?: AnalysisCheckpoint;
  signal?: AbortSignal;
  /** Filled in while the analysis runs. */
  stats?: AnalysisStats;
}

/**
 * Frames in flight. Fixed (not the worker count) because what a frame's request may skip depends on
 * the tracks known when it is sent; a fixed lag makes a resumed run send exactly the same requests.
 */
const PIPELINE_DEPTH = 3;
/** A still scene is looked at again at least this often. */
const MAX_REUSE_MS = 1000;
const PROGRESS_EVERY_MS = 1000;
/** A growing match is reported again after this much more video (or at once for a better face). */
const REPORT_EVERY_MS = 1000;

interface StoredFace {
  box: Box;
  quality: number;
  descriptor: number[] | null;
  /** Left undescribed for a request in flight that describes new faces where it is. */
  deferred?: boolean;
}

/** The engine-private part of a checkpoint: plain JSON. */
interface LoopState {
  frameIndex: number;
  tracker: TrackerState;
  /** Motion signature, time and faces of the last frame the model really looked at. */
  analysedSignature: number[] | null;
  analysedMs: number;
  analysedFaces: StoredFace[];
  /**
   * After each of the last PIPELINE_DEPTH frames: the tracked faces (settled when their track needs
   * no new descriptor) and the tracks whose description that frame's request asked for.
   */
  history: HistoryEntry[];
  /** Motion signature of the previous frame, whether analysed or not. */
  previousSignature: number[] | null;
  lastKeyframeMs: number;
  lastProgressMs: number;
}

interface HistoryEntry {
  frameIndex: number;
  timeMs: number;
  tracked: TrackedFace[];
  requested: string[];
  /** Motion signature of that frame (absent in older checkpoints). */
  signature?: number[];
  /** Where that frame's request searched for new faces (absent in older checkpoints). */
  fresh?: Box[];
}

/** Checkpoints written before track keys were kept name boxes only. */
interface LegacyHistoryEntry {
  frameIndex: number;
  settled: Box[];
  tracked: Box[];
}

function upgradeHistory(entry: HistoryEntry | LegacyHistoryEntry, index: number): HistoryEntry {
  if (!('settled' in entry)) return entry;
  const { frameIndex, settled, tracked } = entry;
  return {
    frameIndex,
    timeMs: 0,
    requested: [],
    tracked: tracked.map((box, face) => ({
      key: `stored-${index}-${face}`,
      box,
      velocity: { x: 0, y: 0 },
      settled: settled.some((other) => sameBox(other, box)),
      uncertain: false,
    })),
  };
}

interface Pending {
  frame: RgbFrame;
  frameIndex: number;
  /** Tracks this frame's request describes: the next requests leave them alone meanwhile. */
  requested: string[];
  /** Where this frame's request searches for new faces, describing them: the next ones defer. */
  fresh: Box[];
  /** Tracks this frame's request looked for: one not found there was really missed. */
  searched: Searched;
  signature: number[];
  reused: boolean;
  /** Time of the last whole-frame search as of this frame. */
  keyframeMs: number;
  result: Promise<{ frame: RgbFrame; faces: StoredFace[]; fresh: FrameFaces | null }>;
}

/** Where a tracked face will be after `elapsedMs` if it keeps moving as it did. */
function predictBox(face: TrackedFace, elapsedMs: number): Box {
  return {
    ...face.box,
    x: face.box.x + face.velocity.x * elapsedMs,
    y: face.box.y + face.velocity.y * elapsedMs,
  };
}

/** Settles with `promise`, or rejects with the signal's reason as soon as it aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () =>
      reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function restoreState(stored: unknown): LoopState {
  const state = structuredClone(stored) as Omit<LoopState, 'history'> & {
    history: (HistoryEntry | LegacyHistoryEntry)[];
  };
  return { ...state, history: state.history.map(upgradeHistory) };
}

export function emptyStats(): AnalysisStats {
  return {
    framesAnalysed: 0,
    framesReused: 0,
    facesDescribed: 0,
    detectMs: 0,
    describeMs: 0,
    matchMs: 0,
    waitFrameMs: 0,
  };
}

/**
 * Runs the face engine over a stream of sampled frames and yields progress (with checkpoints) and
 * match events. Frames at or before `resumeFrom.processedMs` are skipped, so a resumed run neither
 * repeats nor misses anything. Rejects with `signal.reason` once aborted.
 */
export async function* analyseFrames(input: AnalyseFramesInput): AsyncGenerator<AnalysisEvent> {
  const { engine, settings, references, signal } = input;
  const stats = input.stats ?? emptyStats();
  const resumed = input.resumeFrom;
  const state: LoopState = resumed
    ? restoreState(resumed.state)
    : {
        frameIndex: 0,
        tracker: emptyTrackerState(),
        analysedSignature: null,
        analysedMs: -Infinity,
        analysedFaces: [],
        history: [],
        previousSignature: null,
        lastKeyframeMs: -Infinity,
        lastProgressMs: -Infinity,
      };
  let processedMs = resumed?.processedMs ?? -1;
  let framesAnalysed = resumed?.framesAnalysed ?? 0;
  const bestFrames = new Map<string, RgbFrame>();

  // Submission-side copies: they run ahead of `state` by the frames in flight.
  let submitIndex = state.frameIndex;
  let lastSignature = state.analysedSignature;
  let lastAnalysedMs = state.analysedMs;
  let previousSignature = state.previousSignature;
  let lastKeyframeMs = state.lastKeyframeMs;
  /** What each recent request asked for, by frame index (from the checkpoint's history at first). */
  const sentAt = new Map(
    state.history.map((entry) => [
      entry.frameIndex,
      { requested: entry.requested, fresh: entry.fresh ?? [] },
    ]),
  );
  let lastResult: Pending['result'] = Promise.resolve({
    frame: {
      data: new Uint8Array(0),
      width: 0,
      height: 0,
      timeMs: 0,
      sourceWidth: 0,
      sourceHeight: 0,
    },
    faces: state.analysedFaces,
    fresh: null,
  });
  const inFlight: Pending[] = [];

  const checkpoint = (): AnalysisCheckpoint => ({
    processedMs,
    framesAnalysed,
    state: structuredClone(state),
  });

  /**
   * The tracked faces a request looks for, settled unless this request is to describe them. A
   * description asked for by one of the requests still in flight is not asked for again: the tracks
   * the request sees are PIPELINE_DEPTH frames old, so otherwise every frame in flight would ask.
   */
  function toDescribeOnce(
    known: HistoryEntry | undefined,
    tracked: TrackedFace[],
    frame: RgbFrame,
    sentBefore: { requested: string[] }[],
  ) {
    const pending = new Set(sentBefore.flatMap((sent) => sent.requested));
    const requested: string[] = [];
    const faces = tracked.map((face) => {
      const box = predictBox(face, frame.timeMs - known!.timeMs);
      const settled = face.settled || (!face.uncertain && pending.has(face.key));
      if (!settled) requested.push(face.key);
      return { box, seen: face.box, settled };
    });
    return { faces, requested };
  }

  /**
   * Settled faces around which nothing changed since the frame they were seen in: they are still
   * there, so they are carried over instead of being looked for again.
   */
  function stillFaces(known: HistoryEntry | undefined, signature: number[], frame: RgbFrame) {
    const before = known?.signature;
    if (!before) return [];
    const size = { width: frame.sourceWidth, height: frame.sourceHeight };
    return known.tracked.filter(
      (face) => face.settled && isStillAround(before, signature, face.box, size),
    );
  }

  function submit(frame: RgbFrame): void {
    const started = performance.now();
    const frameIndex = submitIndex++;
    const signature = frameSignature(frame);
    const reused =
      lastSignature !== null &&
      frame.timeMs - lastAnalysedMs < MAX_REUSE_MS &&
      isStill(lastSignature, signature);
    const known = state.history.find((entry) => entry.frameIndex === frameIndex - PIPELINE_DEPTH);
    const keyframeDue = frame.timeMs - lastKeyframeMs >= settings.keyframeMs;
    const carried = reused || keyframeDue ? [] : stillFaces(known, signature, frame);
    const lookedFor = (known?.tracked ?? []).filter((face) => !carried.includes(face));
    // The requests sent just before this one, still in flight when it is sent.
    const sentBefore = Array.from(
      { length: PIPELINE_DEPTH - 1 },
      (_, back) => sentAt.get(frameIndex - 1 - back) ?? { requested: [], fresh: [] },
    );
    const asked = reused ? null : toDescribeOnce(known, lookedFor, frame, sentBefore);
    const planned =
      asked === null || previousSignature === null
        ? null
        : planRegions(previousSignature, signature, asked.faces, {
            width: frame.sourceWidth,
            height: frame.sourceHeight,
          });
    const wholeFrame = planned === null || keyframeDue;
    const regions = planned ?? [];
    const fresh = reused
      ? []
      : wholeFrame
        ? [{ x: 0, y: 0, width: frame.sourceWidth, height: frame.sourceHeight }]
        : regions.filter((region) => region.faceSize === undefined).map((region) => region.box);
    // A new face is described by the first request that searched for new faces where it is; the
    // requests sent while that one is in flight leave it undescribed (`describeLeftOver` catches a
    // face the first one did not find).
    const deferAreas = sentBefore.flatMap((sent) => sent.fresh);
    const requested = asked?.requested ?? [];
    sentAt.set(frameIndex, { requested, fresh });
    sentAt.delete(frameIndex - PIPELINE_DEPTH);
    // The whole frame finds them anyway.
    const carriedFaces: StoredFace[] = wholeFrame
      ? []
      : carried.map((face) => ({ box: face.box, quality: 0, descriptor: null }));
    previousSignature = signature;
    const searched: Searched = reused
      ? []
      : wholeFrame
        ? 'all'
        : (known?.tracked ?? []).map((face) => face.key);
    let result: Pending['result'];
    if (reused) {
      result = lastResult.then((previous) => ({ frame, faces: previous.faces, fresh: null }));
    } else {
      if (wholeFrame) lastKeyframeMs = frame.timeMs;
      result =
        !wholeFrame && regions.length === 0
          ? // Nothing moved and nobody is looked for: there is no new face to find.
            Promise.resolve({ frame, faces: carriedFaces, fresh: null })
          : engine
              .detectFaces(frame, settings, { regions, wholeFrame, deferAreas })
              .then((fresh) => {
                const found = fresh.faces.map((face) => ({
                  box: face.box,
                  quality: face.quality,
                  descriptor: face.descriptor ? Array.from(face.descriptor) : null,
                  deferred: face.deferred,
                }));
                // A region around something that moved may reach a carried face and find it too.
                const notFoundAgain = carriedFaces.filter(
                  (face) => !found.some((other) => iou(other.box, face.box) > 0.4),
                );
                return { frame: fresh.frame, fresh, faces: [...found, ...notFoundAgain] };
              });
      lastSignature = signature;
      lastAnalysedMs = frame.timeMs;
      lastResult = result;
    }
    // A rejected request surfaces when its turn comes; until then it must not count as unhandled.
    result.catch(() => undefined);
    inFlight.push({
      frame,
      frameIndex,
      requested,
      fresh,
      searched,
      signature,
      reused,
      keyframeMs: lastKeyframeMs,
      result,
    });
    stats.matchMs += performance.now() - started;
  }

  function* report(track: Track, final: boolean, timeMs: number): Generator<AnalysisEvent> {
    track.reportedMs = timeMs;
    yield {
      type: 'match',
      appearance: toAppearance(track),
      final,
      bestFrame: bestFrames.get(track.key) ?? null,
    };
    if (final) bestFrames.delete(track.key);
  }

  function countWork(fresh: FrameFaces): void {
    stats.detectMs += fresh.detectMs;
    stats.describeMs += fresh.describeMs;
    stats.facesDescribed += fresh.faces.filter((face) => face.descriptor).length;
  }

  function observe(faces: StoredFace[], timeMs: number): Observation[] {
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

  /**
   * Describes the faces a request deferred to one in flight that the tracks cannot do without (see
   * `needDescription`). Returns the frame, whose pixels went to a worker and back, and the faces
   * with those descriptions in.
   */
  async function describeLeftOver(frame: RgbFrame, faces: StoredFace[]) {
    const deferred = faces.filter((face) => face.deferred);
    const observations = observe(deferred, frame.timeMs);
    const previousMs = state.history.at(-1)?.timeMs ?? -Infinity;
    const wanted = needDescription(state.tracker, observations, previousMs, settings);
    if (wanted.length === 0) return { frame, faces };
    const again = await abortable(
      engine.detectFaces(frame, settings, {
        describeAt: wanted.map(({ box }) => box),
        wholeFrame: false,
      }),
      signal,
    );
    countWork(again);
    const withDescriptions = faces.map((face) => {
      const observation = observations[deferred.indexOf(face)];
      if (!observation || !wanted.includes(observation)) return face;
      const described = again.faces.find((f) => f.descriptor && iou(f.box, face.box) > 0.8);
      return described ? { ...face, descriptor: Array.from(described.descriptor!) } : face;
    });
    return { frame: again.frame, faces: withDescriptions };
  }

  async function* finish(item: Pending): AsyncGenerator<AnalysisEvent> {
    const outcome = await abortable(item.result, signal);
    if (outcome.fresh) countWork(outcome.fresh);
    const { frame, faces } = item.reused
      ? outcome
      : await describeLeftOver(outcome.frame, outcome.faces);
    const started = performance.now();
    if (item.reused) {
      stats.framesReused++;
    } else {
      state.analysedSignature = item.signature;
      state.analysedMs = item.frame.timeMs;
      state.analysedFaces = faces;
    }
    state.previousSignature = item.signature;
    state.lastKeyframeMs = item.keyframeMs;
    const timeMs = item.frame.timeMs;
    const observations = observe(faces, timeMs);
    const update = updateTracks(state.tracker, timeMs, observations, settings, item.searched);
    for (const track of [...update.confirmed, ...update.grown]) {
      if (track.best?.timeMs === timeMs) bestFrames.set(track.key, frame);
    }
    for (const track of state.tracker.open) {
      if (!track.confirmed && track.best?.timeMs === timeMs) bestFrames.set(track.key, frame);
    }
    state.frameIndex = item.frameIndex + 1;
    state.history = [
      ...state.history.filter((entry) => entry.frameIndex > item.frameIndex - PIPELINE_DEPTH),
      {
        frameIndex: item.frameIndex,
        timeMs,
        tracked: trackedFaces(state.tracker, timeMs, settings),
        requested: item.requested,
        signature: item.signature,
        fresh: item.fresh,
      },
    ];
    processedMs = timeMs;
    framesAnalysed++;
    stats.framesAnalysed++;
    stats.matchMs += performance.now() - started;

    for (const track of update.closed) {
      if (track.confirmed) yield* report(track, true, timeMs);
      bestFrames.delete(track.key);
    }
    for (const track of update.confirmed) yield* report(track, false, timeMs);
    for (const track of update.grown) {
      const betterFace = track.best?.timeMs === timeMs;
      if (betterFace || timeMs - track.reportedMs >= REPORT_EVERY_MS)
        yield* report(track, false, timeMs);
    }
    for (const key of [...bestFrames.keys()]) {
      if (!state.tracker.open.some((track) => track.key === key)) bestFrames.delete(key);
    }
    if (timeMs - state.lastProgressMs >= PROGRESS_EVERY_MS) {
      state.lastProgressMs = timeMs;
      yield { type: 'progress', processedMs, framesAnalysed, checkpoint: checkpoint() };
    }
  }

  const iterator = input.frames[Symbol.asyncIterator]();
  try {
    for (;;) {
      signal?.throwIfAborted();
      let waitStarted = performance.now();
      const nextFrame = iterator.next();
      // On a live feed the next frame is up to a sampling interval away: finish every frame whose
      // result is in meanwhile, so a match is reported after inference rather than after the frames
      // that push it out of the pipeline. Requests do not change (they depend on the frame PIPELINE_DEPTH
      // back, which is finished either way), so a resumed run still sends the same ones.
      const arrived = nextFrame.then(
        () => true,
        () => true,
      );
      while (inFlight.length > 0) {
        const oldest = inFlight[0]!.result.then(
          () => false,
          () => false,
        );
        if (await abortable(Promise.race([arrived, oldest]), signal)) break;
        stats.waitFrameMs += performance.now() - waitStarted;
        yield* finish(inFlight.shift()!);
        signal?.throwIfAborted();
        waitStarted = performance.now();
      }
      const next = await nextFrame;
      stats.waitFrameMs += performance.now() - waitStarted;
      if (next.done) break;
      if (next.value.timeMs <= processedMs) continue;
      signal?.throwIfAborted();
      while (inFlight.length >= PIPELINE_DEPTH) {
        yield* finish(inFlight.shift()!);
        signal?.throwIfAborted();
      }
      submit(next.value);
    }
    while (inFlight.length > 0) {
      yield* finish(inFlight.shift()!);
      signal?.throwIfAborted();
    }
  } finally {
    await iterator.return?.();
  }
  for (const track of closeAll(state.tracker, settings)) {
    if (track.confirmed) yield* report(track, true, processedMs);
  }
  state.lastProgressMs = processedMs;
  yield { type: 'progress', processedMs, framesAnalysed, checkpoint: checkpoint() };
}
