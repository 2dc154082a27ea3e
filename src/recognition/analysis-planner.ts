/*
 * What to look at in each sampled frame, decided from the frame's motion signature and the tracks
 * known PIPELINE_DEPTH frames back. Pure: no model, no I/O; the state goes in and comes out anew.
 */
import {
  PIPELINE_DEPTH,
  type HistoryEntry,
  type LoopState,
  type StoredFace,
} from './analysis-state.js';
import { isStill, isStillAround, planRegions } from './frame-signature.js';
import type { Box, DetectOptions, RgbFrame, SearchRegion } from './recognition.types.js';
import type { Searched, TrackedFace } from './tracker.js';

/** A still scene is looked at again at least this often. */
const MAX_REUSE_MS = 1000;

/** What one request asked for: the tracks it describes and where it searches for new faces. */
export interface SentRequest {
  frameIndex: number;
  requested: string[];
  fresh: Box[];
}

/** The planner's memory. It runs ahead of the tracker's state by the frames in flight. */
export interface PlannerState {
  /** Index of the next frame to plan. */
  nextIndex: number;
  /** Motion signature and time of the last frame sent to the model (not reused). */
  analysedSignature: number[] | null;
  analysedMs: number;
  /** Motion signature of the previous frame, whether analysed or not. */
  previousSignature: number[] | null;
  /** Time of the last whole-frame search. */
  lastKeyframeMs: number;
  /** The last PIPELINE_DEPTH requests. */
  sent: SentRequest[];
}

interface PlanCommon {
  frameIndex: number;
  signature: number[];
  /** Tracks this frame's request describes: the next requests leave them alone meanwhile. */
  requested: string[];
  /** Where this frame's request searches for new faces, describing them: the next ones defer. */
  fresh: Box[];
  /** Tracks this frame's request looks for: one not found there was really missed. */
  searched: Searched;
  /** Time of the last whole-frame search as of this frame. */
  keyframeMs: number;
}

/**
 * `reuse`: nothing moved since the last analysed frame, whose faces stand for this one.
 * `carry`: nothing moved where anyone is looked for; the still faces are carried over, no request.
 * `detect`: the model searches `options`; `carried` are still faces kept unless found again.
 */
export type FramePlan = PlanCommon &
  (
    | { kind: 'reuse' }
    | { kind: 'carry'; carried: StoredFace[] }
    | {
        kind: 'detect';
        carried: StoredFace[];
        options: Required<Omit<DetectOptions, 'describeAt'>>;
      }
  );

/** What the planner reads of a frame: its time and the size of the source video. */
export type PlannedFrame = Pick<RgbFrame, 'timeMs' | 'sourceWidth' | 'sourceHeight'>;

export interface PlanInput {
  frame: PlannedFrame;
  signature: number[];
  /** The tracker's history: the entry PIPELINE_DEPTH frames back is the newest a request can know. */
  history: HistoryEntry[];
  /** `AnalysisSettings.keyframeMs`. */
  keyframeMs: number;
}

/** The planner's state where a run starts (or resumes) from `state`. */
export function startingPlannerState(state: LoopState): PlannerState {
  return {
    nextIndex: state.frameIndex,
    analysedSignature: state.analysedSignature,
    analysedMs: state.analysedMs,
    previousSignature: state.previousSignature,
    lastKeyframeMs: state.lastKeyframeMs,
    sent: state.history.map(({ frameIndex, requested, fresh }) => ({
      frameIndex,
      requested,
      fresh: fresh ?? [],
    })),
  };
}

/** Where a tracked face will be after `elapsedMs` if it keeps moving as it did. */
function predictBox(face: TrackedFace, elapsedMs: number): Box {
  return {
    ...face.box,
    x: face.box.x + face.velocity.x * elapsedMs,
    y: face.box.y + face.velocity.y * elapsedMs,
  };
}

/**
 * The tracked faces a request looks for, settled unless this request is to describe them. A
 * description asked for by one of the requests still in flight is not asked for again: the tracks
 * the request sees are PIPELINE_DEPTH frames old, so otherwise every frame in flight would ask.
 */
function toDescribeOnce(
  known: HistoryEntry | undefined,
  tracked: TrackedFace[],
  frame: PlannedFrame,
  sentBefore: SentRequest[],
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
function stillFaces(known: HistoryEntry | undefined, signature: number[], frame: PlannedFrame) {
  const before = known?.signature;
  if (!before) return [];
  const size = { width: frame.sourceWidth, height: frame.sourceHeight };
  return known.tracked.filter(
    (face) => face.settled && isStillAround(before, signature, face.box, size),
  );
}

/** The requests sent just before frame `frameIndex`, still in flight when it is sent. */
function sentBefore(state: PlannerState, frameIndex: number): SentRequest[] {
  return Array.from(
    { length: PIPELINE_DEPTH - 1 },
    (_, back) =>
      state.sent.find((sent) => sent.frameIndex === frameIndex - 1 - back) ?? {
        frameIndex: frameIndex - 1 - back,
        requested: [],
        fresh: [],
      },
  );
}

function isReused(state: PlannerState, frame: PlannedFrame, signature: number[]): boolean {
  return (
    state.analysedSignature !== null &&
    frame.timeMs - state.analysedMs < MAX_REUSE_MS &&
    isStill(state.analysedSignature, signature)
  );
}

/** The plan of a frame the model looks at (in part, or not at all when nothing there moved). */
function lookPlan(state: PlannerState, input: PlanInput): FramePlan {
  const { frame, signature } = input;
  const frameIndex = state.nextIndex;
  const known = input.history.find((entry) => entry.frameIndex === frameIndex - PIPELINE_DEPTH);
  const keyframeDue = frame.timeMs - state.lastKeyframeMs >= input.keyframeMs;
  const carried = keyframeDue ? [] : stillFaces(known, signature, frame);
  const lookedFor = (known?.tracked ?? []).filter((face) => !carried.includes(face));
  const inFlight = sentBefore(state, frameIndex);
  const asked = toDescribeOnce(known, lookedFor, frame, inFlight);
  const size = { width: frame.sourceWidth, height: frame.sourceHeight };
  const planned: SearchRegion[] | null =
    state.previousSignature === null
      ? null
      : planRegions(state.previousSignature, signature, asked.faces, size);
  const wholeFrame = planned === null || keyframeDue;
  const regions = planned ?? [];
  const common = {
    frameIndex,
    signature,
    requested: asked.requested,
    fresh: wholeFrame
      ? [{ x: 0, y: 0, ...size }]
      : regions.filter((region) => region.faceSize === undefined).map((region) => region.box),
    searched: wholeFrame ? ('all' as const) : (known?.tracked ?? []).map((face) => face.key),
    keyframeMs: wholeFrame ? frame.timeMs : state.lastKeyframeMs,
    // The whole frame finds them anyway.
    carried: wholeFrame
      ? []
      : carried.map((face) => ({ box: face.box, quality: 0, descriptor: null })),
  };
  // Nothing moved and nobody is looked for: there is no new face to find.
  if (!wholeFrame && regions.length === 0) return { kind: 'carry', ...common };
  // A new face is described by the first request that searched for new faces where it is; the
  // requests sent while that one is in flight leave it undescribed (a face the first one did not
  // find is described after all: `FrameIntegrator.leftOverToDescribe`).
  const deferAreas = inFlight.flatMap((sent) => sent.fresh);
  return { kind: 'detect', ...common, options: { regions, wholeFrame, deferAreas } };
}

/**
 * Decides what the model looks at in the next frame: nothing (`reuse`, `carry`) or where (`detect`),
 * and which tracks it describes. Returns the plan and the planner's next state.
 */
export function planFrame(
  state: PlannerState,
  input: PlanInput,
): { plan: FramePlan; next: PlannerState } {
  const { frame, signature } = input;
  const frameIndex = state.nextIndex;
  const plan: FramePlan = isReused(state, frame, signature)
    ? {
        kind: 'reuse',
        frameIndex,
        signature,
        requested: [],
        fresh: [],
        searched: [],
        keyframeMs: state.lastKeyframeMs,
      }
    : lookPlan(state, input);
  const sent = state.sent.filter((entry) => entry.frameIndex > frameIndex - PIPELINE_DEPTH);
  const next: PlannerState = {
    nextIndex: frameIndex + 1,
    analysedSignature: plan.kind === 'reuse' ? state.analysedSignature : signature,
    analysedMs: plan.kind === 'reuse' ? state.analysedMs : frame.timeMs,
    previousSignature: signature,
    lastKeyframeMs: plan.keyframeMs,
    sent: [...sent, { frameIndex, requested: plan.requested, fresh: plan.fresh }],
  };
  return { plan, next };
}
