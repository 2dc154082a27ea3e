import { FrameIntegrator } from './analysis-integrator.js';
import { PIPELINE_DEPTH } from './analysis-state.js';
import { abortable, WorkerRoundTrip, type InFlight } from './analysis-requests.js';
import type {
  AnalysisCheckpoint,
  AnalysisEvent,
  AnalysisSettings,
  AnalysisStats,
  FaceEngine,
  ReferenceFace,
  RgbFrame,
} from './recognition.types.js';

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
 *
 * A small pipeline: the planner (analysis-planner.ts) decides what the model looks at in each frame,
 * the round trip (analysis-requests.ts) sends it to the workers with PIPELINE_DEPTH frames in flight,
 * and the integrator (analysis-integrator.ts) feeds the answers to the tracker in frame order.
 */
export async function* analyseFrames(input: AnalyseFramesInput): AsyncGenerator<AnalysisEvent> {
  const { engine, settings, references, signal } = input;
  const stats = input.stats ?? emptyStats();
  const integrator = new FrameIntegrator({
    settings,
    references,
    stats,
    resumeFrom: input.resumeFrom,
  });
  const roundTrip = new WorkerRoundTrip({ engine, settings, stats, signal }, integrator.state);
  const inFlight: InFlight[] = [];

  async function* finishOldest(): AsyncGenerator<AnalysisEvent> {
    const item = inFlight.shift()!;
    const { frame, faces } = await roundTrip.receive(item, (found, timeMs) =>
      integrator.leftOverToDescribe(found, timeMs),
    );
    yield* integrator.integrate(item.plan, frame, faces);
    signal?.throwIfAborted();
  }

  const iterator = input.frames[Symbol.asyncIterator]();
  try {
    for (;;) {
      signal?.throwIfAborted();
      let waitStarted = performance.now();
      const nextFrame = iterator.next();
      // On a live feed the next frame is up to a sampling interval away: finish every frame whose
      // result is in meanwhile, so a match is reported after inference rather than after the frames
      // that push it out of the pipeline. Requests do not change (they depend on the frame
      // PIPELINE_DEPTH back, which is finished either way), so a resumed run still sends the same ones.
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
        yield* finishOldest();
        waitStarted = performance.now();
      }
      const next = await nextFrame;
      stats.waitFrameMs += performance.now() - waitStarted;
      if (next.done) break;
      if (next.value.timeMs <= integrator.processedMs) continue;
      signal?.throwIfAborted();
      while (inFlight.length >= PIPELINE_DEPTH) yield* finishOldest();
      inFlight.push(roundTrip.send(next.value, integrator.state.history));
    }
    while (inFlight.length > 0) yield* finishOldest();
  } finally {
    await iterator.return?.();
  }
  yield* integrator.finish();
}
