import { describe, expect, it } from 'vitest';
import {
  planFrame,
  startingPlannerState,
  type FramePlan,
  type PlannerState,
} from '../../src/recognition/analysis-planner.js';
import { startingState, type HistoryEntry } from '../../src/recognition/analysis-state.js';
import { GRID_COLUMNS, GRID_ROWS } from '../../src/recognition/frame-signature.js';
import type { TrackedFace } from '../../src/recognition/tracker.js';

const WIDTH = 1280;
const HEIGHT = 720;
const WHOLE_FRAME = { x: 0, y: 0, width: WIDTH, height: HEIGHT };
const KEYFRAME_MS = 3000;

/** A motion signature of an unchanging grey picture. */
function still(): number[] {
  return new Array<number>(GRID_COLUMNS * GRID_ROWS).fill(100);
}

/** The grey picture with a bright 2×2-cell patch (something that appeared) at a cell. */
function withPatch(column: number, row: number): number[] {
  const signature = still();
  for (const [c, r] of [
    [column, row],
    [column + 1, row],
    [column, row + 1],
    [column + 1, row + 1],
  ] as const)
    signature[r * GRID_COLUMNS + c] = 200;
  return signature;
}

/** Plans frames in turn, as the pipeline does, and returns every plan. */
function planAll(
  start: PlannerState,
  frames: { timeMs: number; signature: number[] }[],
  history: HistoryEntry[] = [],
): FramePlan[] {
  let state = start;
  return frames.map(({ timeMs, signature }) => {
    const frame = { timeMs, sourceWidth: WIDTH, sourceHeight: HEIGHT };
    const { plan, next } = planFrame(state, { frame, signature, history, keyframeMs: KEYFRAME_MS });
    state = next;
    return plan;
  });
}

const fromStart = () => startingPlannerState(startingState(undefined));

function face(key: string, settled: boolean): TrackedFace {
  return {
    key,
    box: { x: 100, y: 300, width: 80, height: 80 },
    velocity: { x: 0.1, y: 0 },
    settled,
    uncertain: false,
  };
}

/** A planner three frames in, whose tracker has seen `tracked` in each of them (200 ms apart). */
function withTracks(tracked: TrackedFace[]) {
  const history = [0, 1, 2].map((frameIndex) => ({
    frameIndex,
    timeMs: frameIndex * 200,
    tracked,
    requested: [],
    signature: still(),
    fresh: [],
  }));
  const state = startingPlannerState({
    ...startingState(undefined),
    frameIndex: 3,
    history,
    previousSignature: still(),
    lastKeyframeMs: 0,
  });
  return { state, history };
}

describe('analysis planner', () => {
  it('searches the whole first frame for new faces', () => {
    const [first] = planAll(fromStart(), [{ timeMs: 0, signature: still() }]);
    expect(first).toMatchObject({
      kind: 'detect',
      frameIndex: 0,
      searched: 'all',
      fresh: [WHOLE_FRAME],
      keyframeMs: 0,
      options: { wholeFrame: true, regions: [], deferAreas: [] },
    });
  });

  it('reuses the last analysed frame while nothing moves, and looks again after a second', () => {
    const frames = [0, 200, 400, 600, 800, 1000].map((timeMs) => ({ timeMs, signature: still() }));
    const plans = planAll(fromStart(), frames);
    expect(plans.map((plan) => plan.kind)).toEqual([
      'detect',
      'reuse',
      'reuse',
      'reuse',
      'reuse',
      'carry',
    ]);
    expect(plans[1]).toMatchObject({ requested: [], fresh: [], searched: [] });
    // Nothing moved and no one is tracked: there is nothing to send the model.
    expect(plans[5]).toMatchObject({ carried: [], searched: [], fresh: [] });
  });

  it('searches only where the picture changed, leaving new faces there to the request in flight', () => {
    const plans = planAll(fromStart(), [
      { timeMs: 0, signature: still() },
      { timeMs: 200, signature: withPatch(10, 10) },
      { timeMs: 400, signature: withPatch(30, 10) },
    ]);
    const [first, second, third] = plans as Extract<FramePlan, { kind: 'detect' }>[];
    expect(second!.kind).toBe('detect');
    expect(second!.options.wholeFrame).toBe(false);
    expect(second!.options.regions).toHaveLength(1);
    const region = second!.options.regions[0]!.box;
    // The patch (cells 10–11 across, 10–11 down, 26.7 px each) lies inside the region.
    expect(region.x).toBeLessThan(10 * (WIDTH / GRID_COLUMNS));
    expect(region.x + region.width).toBeGreaterThan(12 * (WIDTH / GRID_COLUMNS));
    expect(second!.fresh).toEqual([region]);
    expect(second!.searched).toEqual([]);
    expect(second!.options.deferAreas).toEqual(first!.fresh);
    expect(third!.options.deferAreas).toEqual([...second!.fresh, ...first!.fresh]);
  });

  it('searches the whole frame again once a keyframe is due, however little moved', () => {
    const plans = planAll(fromStart(), [
      { timeMs: 0, signature: still() },
      { timeMs: 2800, signature: withPatch(10, 10) },
      { timeMs: 3000, signature: withPatch(12, 10) },
    ]);
    expect(plans[1]).toMatchObject({ kind: 'detect', options: { wholeFrame: false } });
    expect(plans[2]).toMatchObject({
      kind: 'detect',
      searched: 'all',
      fresh: [WHOLE_FRAME],
      keyframeMs: 3000,
      options: { wholeFrame: true },
    });
  });

  it('carries a settled face over without a request while nothing near it moves', () => {
    const { state, history } = withTracks([face('t1', true)]);
    const [plan] = planAll(state, [{ timeMs: 600, signature: still() }], history);
    expect(plan).toMatchObject({
      kind: 'carry',
      searched: ['t1'],
      requested: [],
      carried: [{ box: face('t1', true).box, quality: 0, descriptor: null }],
    });
  });

  it('looks for a tracked face where it is headed, and asks for its description only once', () => {
    const { state, history } = withTracks([face('t1', false)]);
    const plans = planAll(
      state,
      [
        { timeMs: 600, signature: still() },
        // Something moves far from the face, so the frame is looked at.
        { timeMs: 800, signature: withPatch(40, 20) },
      ],
      history,
    );
    const [first, second] = plans as Extract<FramePlan, { kind: 'detect' }>[];
    expect(first).toMatchObject({ kind: 'detect', requested: ['t1'], searched: ['t1'], fresh: [] });
    const [region] = first!.options.regions;
    // Seen at x 100–180 at 0 ms, moving 0.1 px/ms: its centre is expected at 200 after 600 ms.
    expect(region!.box.x + region!.box.width / 2).toBeCloseTo(200);
    expect(region).toMatchObject({ faceSize: 80, settled: false });
    // The request for frame 3 describes it; frame 4's leaves it alone meanwhile.
    expect(second).toMatchObject({ kind: 'detect', requested: [] });
    expect(second!.options.regions[0]).toMatchObject({ settled: true });
  });
});
