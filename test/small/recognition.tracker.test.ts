import { describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/recognition/presets.js';
import {
  closeAll,
  emptyTrackerState,
  isMatch,
  needDescription,
  trackedFaces,
  updateTracks,
  type Observation,
  type Track,
} from '../../src/recognition/tracker.js';

const settings = resolveSettings('balanced', { threshold: 0.5 });

function descriptor(seed: number): Float32Array {
  const values = new Float32Array(128);
  let x = seed;
  for (let i = 0; i < 128; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    values[i] = (x / 2147483648 - 0.5) * 0.1;
  }
  return values;
}

function seen(timeMs: number, x: number, score: number, seed = 1): Observation {
  return {
    timeMs,
    box: { x, y: 100, width: 80, height: 80 },
    quality: 0.9,
    descriptor: descriptor(seed),
    score,
  };
}

/** Feeds frames every 200 ms from `fromMs` to `toMs`; `at` gives each frame's faces. */
function run(toMs: number, at: (timeMs: number) => Observation[]): Track[] {
  const state = emptyTrackerState();
  const ended: Track[] = [];
  for (let t = 0; t <= toMs; t += 200)
    ended.push(...updateTracks(state, t, at(t), settings).closed);
  return [...ended, ...closeAll(state, settings)];
}

describe('tracker', () => {
  it('turns one passage across many frames into one matching appearance', () => {
    const tracks = run(4000, (t) => (t >= 1000 && t <= 3000 ? [seen(t, 100 + t / 50, 0.8)] : []));
    expect(tracks).toHaveLength(1);
    expect(tracks[0]).toMatchObject({ firstMs: 1000, lastMs: 3000 });
    expect(tracks[0]!.detections).toHaveLength(11);
    expect(isMatch(tracks[0]!, settings)).toBe(true);
  });

  it('does not report a one-frame blip just above the threshold as a match', () => {
    const tracks = run(2000, (t) => (t === 800 ? [seen(t, 300, 0.55)] : []));
    expect(tracks).toHaveLength(1);
    expect(isMatch(tracks[0]!, settings)).toBe(false);
  });

  it('reports a single frame when its score clears the higher single-frame bar', () => {
    const tracks = run(2000, (t) => (t === 800 ? [seen(t, 300, 0.95)] : []));
    expect(isMatch(tracks[0]!, settings)).toBe(true);
  });

  it('does not report a look-alike whose best frames reach the threshold but most do not', () => {
    const scores = [0.9, 0.3, 0.55, 0.2, 0.3, 0.25];
    const tracks = run(2000, (t) => (t < 1200 ? [seen(t, 300, scores[t / 200]!)] : []));
    expect(tracks).toHaveLength(1);
    expect(tracks[0]!.agreeing).toBe(2);
    expect(isMatch(tracks[0]!, settings)).toBe(false);
  });

  it('keeps one appearance across a miss shorter than the gap limit, and splits on a longer one', () => {
    const shortMiss = run(4000, (t) => (t <= 1000 || t >= 1800 ? [seen(t, 200, 0.8)] : []));
    expect(shortMiss).toHaveLength(1);
    const longMiss = run(6000, (t) => (t <= 1000 || t >= 3000 ? [seen(t, 200, 0.8)] : []));
    expect(longMiss).toHaveLength(2);
  });

  it('keeps two people side by side apart, and only the person matches', () => {
    const tracks = run(3000, (t) => [seen(t, 100, 0.8, 1), seen(t, 600, 0.1, 2)]);
    expect(tracks).toHaveLength(2);
    expect(tracks.filter((track) => isMatch(track, settings))).toHaveLength(1);
  });

  it('does not pass a face of a very different size, not yet described, off as the tracked one', () => {
    const state = emptyTrackerState();
    updateTracks(state, 0, [seen(0, 100, 0.9)], settings);
    const bigger: Observation = {
      ...seen(200, 100, 0.9),
      box: { x: 90, y: 90, width: 130, height: 130 },
      descriptor: null,
      score: null,
    };
    updateTracks(state, 200, [bigger], settings);
    expect(state.open[0]!.detections).toHaveLength(1);
  });

  it('has a face described again where its track was lost, since it may be someone else', () => {
    const state = emptyTrackerState();
    updateTracks(state, 0, [seen(0, 100, 0.1)], settings);
    expect(trackedFaces(state, 0, settings)[0]).toMatchObject({ settled: true });
    updateTracks(state, 200, [], settings);
    expect(trackedFaces(state, 200, settings)[0]).toMatchObject({ settled: false });
  });

  it('starts a new track for a different face that appears just where a track was missed', () => {
    const state = emptyTrackerState();
    for (const t of [0, 200, 400]) updateTracks(state, t, [seen(t, 100, 0.9)], settings);
    updateTracks(state, 600, [], settings, 'all');
    // Someone else, 0.65 away: close enough to pass for the same face across one frame, not more.
    const stranger = descriptor(1).map((value) => value + 0.65 / Math.sqrt(128));
    updateTracks(state, 800, [{ ...seen(800, 100, 0.1), descriptor: stranger }], settings, 'all');
    expect(state.open).toHaveLength(2);
    expect(state.open[0]!.lastMs).toBe(400);
  });

  it('predicts where a moving face goes from its recent detections', () => {
    const state = emptyTrackerState();
    for (let t = 0; t <= 800; t += 200)
      updateTracks(state, t, [seen(t, 100 + t / 10, 0.1)], settings);
    const [face] = trackedFaces(state, 800, settings);
    expect(face!.velocity.x).toBeCloseTo(0.1, 5);
    expect(face!.velocity.y).toBeCloseTo(0, 5);
  });

  it('links a face back to its track after frames that did not look for it, not after real misses', () => {
    const undescribed = (timeMs: number): Observation => ({
      ...seen(timeMs, 100, 0.9),
      descriptor: null,
      score: null,
    });
    const notLookedFor = emptyTrackerState();
    updateTracks(notLookedFor, 0, [seen(0, 100, 0.9)], settings);
    for (const t of [200, 400, 600]) updateTracks(notLookedFor, t, [], settings, []);
    updateTracks(notLookedFor, 800, [undescribed(800)], settings, []);
    expect(notLookedFor.open[0]!.lastMs).toBe(800);

    const missed = emptyTrackerState();
    updateTracks(missed, 0, [seen(0, 100, 0.9)], settings);
    for (const t of [200, 400, 600]) updateTracks(missed, t, [], settings, 'all');
    updateTracks(missed, 800, [undescribed(800)], settings, 'all');
    expect(missed.open[0]!.lastMs).toBe(0);
  });

  it('marks a face whose score is near the threshold uncertain, so it is described every frame', () => {
    const state = emptyTrackerState();
    updateTracks(
      state,
      0,
      [seen(0, 100, 0.1), seen(0, 400, settings.threshold - 0.05, 2)],
      settings,
    );
    const [clear, near] = trackedFaces(state, 0, settings);
    expect(clear).toMatchObject({ settled: true, uncertain: false });
    expect(near).toMatchObject({ settled: false, uncertain: true });
  });
});

describe('faces left undescribed by a request', () => {
  const undescribed = (timeMs: number, x: number): Observation => ({
    ...seen(timeMs, x, 0),
    descriptor: null,
    score: null,
  });
  /** A stranger far below the threshold at x 100, someone near it (0.45 against 0.5) at x 600. */
  function twoTracks(describedTimes: number[]) {
    const state = emptyTrackerState();
    for (const t of describedTimes)
      updateTracks(state, t, [seen(t, 100, 0.05, 1), seen(t, 600, 0.45, 2)], settings);
    return state;
  }

  it('are described when no track takes them, or when the track is near the threshold', () => {
    const state = twoTracks([0, 200]);
    const faces = [undescribed(400, 110), undescribed(400, 610), undescribed(400, 1000)];
    const wanted = needDescription(state, faces, 200, settings);
    expect(wanted.map((face) => face.box.x)).toEqual([610, 1000]);
    // Without a description the newcomer would be dropped: only described faces start tracks.
    updateTracks(state, 400, faces, settings);
    expect(state.open).toHaveLength(2);
  });

  it('are described when their track has been described only once', () => {
    const state = twoTracks([0]);
    expect(needDescription(state, [undescribed(200, 110)], 0, settings)).toHaveLength(1);
  });

  it('are described when the track at their place was not seen in the previous frame', () => {
    // One person leaves, another steps into the same place two frames later.
    const state = twoTracks([0, 200]);
    expect(needDescription(state, [undescribed(600, 110)], 400, settings)).toHaveLength(1);
    expect(needDescription(state, [undescribed(400, 110)], 200, settings)).toHaveLength(0);
  });
});
