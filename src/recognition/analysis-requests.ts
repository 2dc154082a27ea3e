/*
 * The round trip of the analysis pipeline: each frame's plan becomes a request to the face engine's
 * workers, and its answer the frame's faces, with any the tracks need described after all.
 */
import {
  planFrame,
  startingPlannerState,
  type FramePlan,
  type PlannerState,
} from './analysis-planner.js';
import type { HistoryEntry, LoopState, StoredFace } from './analysis-state.js';
import { frameSignature } from './frame-signature.js';
import { iou } from './geometry.js';
import type {
  AnalysisSettings,
  AnalysisStats,
  FaceEngine,
  FrameFaces,
  RgbFrame,
} from './recognition.types.js';

/** A request's answer: the frame (its pixels back from the worker) and its faces. */
interface Outcome {
  frame: RgbFrame;
  faces: StoredFace[];
  /** The engine's answer, when the model was asked. */
  fresh: FrameFaces | null;
}

/** A frame sent and not integrated yet. */
export interface InFlight {
  plan: FramePlan;
  frame: RgbFrame;
  result: Promise<Outcome>;
}

export interface RoundTripOptions {
  engine: FaceEngine;
  settings: AnalysisSettings;
  stats: AnalysisStats;
  signal?: AbortSignal;
}

/** Settles with `promise`, or rejects with the signal's reason as soon as it aborts. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
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

function toStoredFaces(fresh: FrameFaces): StoredFace[] {
  return fresh.faces.map((face) => ({
    box: face.box,
    quality: face.quality,
    descriptor: face.descriptor ? Array.from(face.descriptor) : null,
    deferred: face.deferred,
  }));
}

/** Sends frames to the engine as the planner says, and receives their faces in turn. */
export class WorkerRoundTrip {
  private planner: PlannerState;
  /** The answer for the last frame the model looked at: a still frame reuses its faces. */
  private lastResult: Promise<Outcome>;
  private readonly options: RoundTripOptions;

  constructor(options: RoundTripOptions, state: LoopState) {
    this.options = options;
    this.planner = startingPlannerState(state);
    this.lastResult = Promise.resolve({
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
  }

  /** Plans the frame (knowing the tracker's `history`) and sends its request. */
  send(frame: RgbFrame, history: HistoryEntry[]): InFlight {
    const started = performance.now();
    const { plan, next } = planFrame(this.planner, {
      frame,
      signature: frameSignature(frame),
      history,
      keyframeMs: this.options.settings.keyframeMs,
    });
    this.planner = next;
    const result = this.request(plan, frame);
    if (plan.kind !== 'reuse') this.lastResult = result;
    // A rejected request surfaces when its turn comes; until then it must not count as unhandled.
    result.catch(() => undefined);
    this.options.stats.matchMs += performance.now() - started;
    return { plan, frame, result };
  }

  /**
   * Waits for a frame's answer, then has the faces it deferred that `leftOverToDescribe` picks
   * described. Returns the frame, whose pixels went to a worker and back, and its faces.
   */
  async receive(
    item: InFlight,
    leftOverToDescribe: (faces: StoredFace[], timeMs: number) => StoredFace[],
  ): Promise<{ frame: RgbFrame; faces: StoredFace[] }> {
    const outcome = await abortable(item.result, this.options.signal);
    if (outcome.fresh) this.countWork(outcome.fresh);
    if (item.plan.kind === 'reuse') return outcome;
    const wanted = leftOverToDescribe(outcome.faces, outcome.frame.timeMs);
    if (wanted.length === 0) return outcome;
    return this.describe(outcome.frame, outcome.faces, wanted);
  }

  private request(plan: FramePlan, frame: RgbFrame): Promise<Outcome> {
    switch (plan.kind) {
      case 'reuse':
        return this.lastResult.then((previous) => ({ frame, faces: previous.faces, fresh: null }));
      case 'carry':
        return Promise.resolve({ frame, faces: plan.carried, fresh: null });
      case 'detect': {
        const { engine, settings } = this.options;
        return engine.detectFaces(frame, settings, plan.options).then((fresh) => {
          const found = toStoredFaces(fresh);
          // A region around something that moved may reach a carried face and find it too.
          const notFoundAgain = plan.carried.filter(
            (face) => !found.some((other) => iou(other.box, face.box) > 0.4),
          );
          return { frame: fresh.frame, fresh, faces: [...found, ...notFoundAgain] };
        });
      }
    }
  }

  /** Describes `wanted` (some of `faces`, found before in `frame`) where they are. */
  private async describe(frame: RgbFrame, faces: StoredFace[], wanted: StoredFace[]) {
    const { engine, settings, signal } = this.options;
    const again = await abortable(
      engine.detectFaces(frame, settings, {
        describeAt: wanted.map(({ box }) => box),
        wholeFrame: false,
      }),
      signal,
    );
    this.countWork(again);
    const withDescriptions = faces.map((face) => {
      if (!wanted.includes(face)) return face;
      const described = again.faces.find((f) => f.descriptor && iou(f.box, face.box) > 0.8);
      return described ? { ...face, descriptor: Array.from(described.descriptor!) } : face;
    });
    return { frame: again.frame, faces: withDescriptions };
  }

  private countWork(fresh: FrameFaces): void {
    const { stats } = this.options;
    stats.detectMs += fresh.detectMs;
    stats.describeMs += fresh.describeMs;
    stats.facesDescribed += fresh.faces.filter((face) => face.descriptor).length;
  }
}
