import { describe, expect, it } from 'vitest';
import { FrameIntegrator } from '../../src/recognition/analysis-integrator.js';
import type { FramePlan } from '../../src/recognition/analysis-planner.js';
import type { StoredFace } from '../../src/recognition/analysis-state.js';
import { emptyStats } from '../../src/recognition/analysis.js';
import { resolveSettings } from '../../src/recognition/presets.js';
import type {
  AnalysisCheckpoint,
  AnalysisEvent,
  RgbFrame,
} from '../../src/recognition/recognition.types.js';

const settings = resolveSettings('balanced');
const PERSON = new Array<number>(128).fill(0.05);
const STRANGER = new Array<number>(128).fill(-0.05);
const references = [{ descriptor: Float32Array.from(PERSON), faceSize: 200 }];

function frameAt(timeMs: number): RgbFrame {
  return {
    data: new Uint8Array(3),
    width: 1,
    height: 1,
    timeMs,
    sourceWidth: 1280,
    sourceHeight: 720,
  };
}

function plan(frameIndex: number, kind: 'detect' | 'reuse' = 'detect'): FramePlan {
  const common = {
    frameIndex,
    signature: [frameIndex],
    requested: [],
    fresh: [],
    searched: 'all' as const,
    keyframeMs: 0,
  };
  if (kind === 'reuse') return { kind, ...common, searched: [] };
  return {
    kind,
    ...common,
    carried: [],
    options: { regions: [], wholeFrame: true, deferAreas: [] },
  };
}

function face(x: number, descriptor: number[] | null, deferred = false): StoredFace {
  return { box: { x, y: 200, width: 100, height: 100 }, quality: 0.9, descriptor, deferred };
}

function integrator(resumeFrom?: AnalysisCheckpoint) {
  const stats = emptyStats();
  return { stats, integrator: new FrameIntegrator({ settings, references, stats, resumeFrom }) };
}

/** Integrates frames 200 ms apart, `facesAt` giving each frame's faces; returns every event. */
function feed(
  target: FrameIntegrator,
  count: number,
  facesAt: (timeMs: number) => StoredFace[],
): AnalysisEvent[] {
  const events: AnalysisEvent[] = [];
  for (let index = 0; index < count; index++) {
    const timeMs = index * 200;
    events.push(...target.integrate(plan(index), frameAt(timeMs), facesAt(timeMs)));
  }
  return events;
}

const matches = (events: AnalysisEvent[]) =>
  events.flatMap((event) => (event.type === 'match' ? [event] : []));

describe('analysis integrator', () => {
  it('reports the person once two frames agree, with the best face, and again when the passage ends', () => {
    const { integrator: target } = integrator();
    // The person walks by from 0 to 400 ms beside a stranger who stays.
    const events = feed(target, 12, (timeMs) => [
      ...(timeMs <= 400 ? [face(100 + timeMs / 10, PERSON)] : []),
      face(900, STRANGER),
    ]);
    const reported = matches(events);
    expect(reported[0]).toMatchObject({ final: false, appearance: { startMs: 0 } });
    expect(reported[0]!.bestFrame).not.toBeNull();
    const last = reported.at(-1)!;
    expect(last).toMatchObject({ final: true, appearance: { startMs: 0, endMs: 400 } });
    expect(new Set(reported.map((event) => event.appearance.trackKey)).size).toBe(1);
  });

  it('reports progress with a checkpoint once a second of video, and at the end', () => {
    const { integrator: target, stats } = integrator();
    const events = feed(target, 11, () => []);
    const progress = events.flatMap((event) => (event.type === 'progress' ? [event] : []));
    expect(progress.map((event) => event.processedMs)).toEqual([0, 1000, 2000]);
    expect(progress[1]!.checkpoint).toMatchObject({ processedMs: 1000, framesAnalysed: 6 });
    expect(stats.framesAnalysed).toBe(11);
    const final = [...target.finish()];
    expect(final).toMatchObject([{ type: 'progress', processedMs: 2000 }]);
  });

  it('keeps the last three frames in the checkpoint, and resumes from it where it left off', () => {
    const { integrator: first } = integrator();
    feed(first, 5, (timeMs) => [face(100 + timeMs / 10, PERSON)]);
    const checkpoint = first.checkpoint();
    const state = checkpoint.state as { frameIndex: number; history: { frameIndex: number }[] };
    expect(state.frameIndex).toBe(5);
    expect(state.history.map((entry) => entry.frameIndex)).toEqual([2, 3, 4]);
    const { integrator: resumed } = integrator(
      JSON.parse(JSON.stringify(checkpoint)) as AnalysisCheckpoint,
    );
    expect(resumed.processedMs).toBe(800);
    const after: AnalysisEvent[] = [];
    for (let index = 5; index < 12; index++)
      after.push(...resumed.integrate(plan(index), frameAt(index * 200), []));
    // The track open at the checkpoint goes on, and ends as the match it became before it.
    expect(matches(after)).toMatchObject([{ final: true, appearance: { startMs: 0, endMs: 800 } }]);
  });

  it('counts a reused frame and keeps the last analysed faces', () => {
    const { integrator: target, stats } = integrator();
    const seen = [face(100, PERSON)];
    Array.from(target.integrate(plan(0), frameAt(0), seen));
    Array.from(target.integrate(plan(1, 'reuse'), frameAt(200), seen));
    expect(stats.framesReused).toBe(1);
    expect(target.state.analysedFaces).toBe(seen);
    expect(target.state.analysedMs).toBe(0);
  });

  it('has a deferred face described when no track would take it, and not one a track takes', () => {
    const { integrator: target } = integrator();
    feed(target, 3, () => [face(100, PERSON), face(600, PERSON)]);
    feed(target, 3, () => [face(100, PERSON), face(600, PERSON)]);
    const nearTrack = face(100, null, true);
    const newcomer = face(1100, null, true);
    const described = face(300, PERSON);
    expect(target.leftOverToDescribe([nearTrack, newcomer, described], 1200)).toEqual([newcomer]);
  });
});
