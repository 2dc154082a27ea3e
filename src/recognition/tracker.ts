import { centreDistance, iou } from './geometry.js';
import type { AnalysisSettings, Appearance, Box, MatchedFace } from './recognition.types.js';
import { euclidean } from './similarity.js';

/** One face in one sampled frame, as the tracker sees it. */
export interface Observation {
  timeMs: number;
  box: Box;
  quality: number;
  /** Null when the face was not described this frame (its track already was). */
  descriptor: Float32Array | null;
  /** Calibrated similarity to the person; null when not described. */
  score: number | null;
}

/** A tracked face. Plain JSON so checkpoints can carry open tracks across a restart. */
export interface Track {
  key: string;
  firstMs: number;
  lastMs: number;
  lastBox: Box;
  descriptor: number[] | null;
  describedMs: number;
  describedBox: Box | null;
  /** Latest fresh similarity; inherited by frames in which the face was not described again. */
  score: number | null;
  /** Frames with a fresh score at or above the threshold. */
  agreeing: number;
  /** Every fresh score, in order (absent in checkpoints written before it existed). */
  scores?: number[];
  best: MatchedFace | null;
  bestQuality: number;
  detections: MatchedFace[];
  confirmed: boolean;
  /** Frame time of the last match event sent for this track; -1 before the first. */
  reportedMs: number;
  /** Last frame in which the face was looked for where the track was, and not found. */
  missedMs?: number;
}

/**
 * Tracks a frame's request looked for: every one when the whole frame was searched. A request knows
 * the tracks of a few frames back, so a newer track was not looked for and not missed.
 */
export type Searched = string[] | 'all';

export interface TrackerState {
  nextSeq: number;
  open: Track[];
}

export type TrackerSettings = Pick<
  AnalysisSettings,
  'threshold' | 'minMatchFrames' | 'singleFrameThreshold' | 'maxGapMs' | 'redescribeMs'
>;

/** Descriptors further apart than this are different people whatever their boxes say. */
const SAME_FACE_DISTANCE = 0.75;
/** Linking a face to a track it was missing from needs descriptors at least this close. */
const RESUME_DISTANCE = 0.55;
/** Strangers scoring this close below the threshold are re-checked on every frame. */
const UNCERTAIN_MARGIN = 0.15;
/**
 * Fresh scores an open track needs before it is judged; a shorter track is judged when it ends. On
 * footage of look-alikes (ASL clips) a stranger's best frames reach the threshold while the middle
 * of his scores stays below it; the person's own median clears it.
 */
const EVIDENCE_FRAMES = 3;

export interface TrackUpdate {
  /** Tracks that became matches on this frame. */
  confirmed: Track[];
  /** Matching tracks that got a better face or grew on this frame. */
  grown: Track[];
  /** Tracks that ended (gone longer than the gap allows); matches among them are final. */
  closed: Track[];
}

export function emptyTrackerState(): TrackerState {
  return { nextSeq: 1, open: [] };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The verdict on a track's fresh scores: one scored frame must clear the single-frame bar; more need
 * `minMatchFrames` at or above the threshold and their median at or above it too.
 */
export function isMatch(track: Track, settings: TrackerSettings): boolean {
  const scores = track.scores ?? (track.best ? [track.best.score] : []);
  if (scores.length === 0) return false;
  if (scores.length === 1) return scores[0]! >= settings.singleFrameThreshold;
  return track.agreeing >= settings.minMatchFrames && median(scores) >= settings.threshold;
}

/** A track that ends unconfirmed is judged on the evidence it has. */
function judgeAtClose(track: Track, settings: TrackerSettings): void {
  if (!track.confirmed && isMatch(track, settings)) track.confirmed = true;
}

export function toAppearance(track: Track): Appearance {
  const best = track.best ?? track.detections[0]!;
  return {
    trackKey: track.key,
    startMs: track.firstMs,
    endMs: track.lastMs,
    bestScore: best.score,
    best,
    detections: track.detections,
  };
}

function affinity(track: Track, obs: Observation, settings: TrackerSettings): number {
  const overlap = iou(track.lastBox, obs.box);
  const centre = centreDistance(track.lastBox, obs.box);
  const sizeRatio = obs.box.width / Math.max(1, track.lastBox.width);
  if (centre > 1.5 || sizeRatio < 0.5 || sizeRatio > 2) return -1;
  // A face looked for and not found, then back, may be someone else; a face nobody looked for in
  // between (a request that did not know its track yet) is not.
  const missed = track.missedMs !== undefined && track.missedMs > track.lastMs;
  const longGap = obs.timeMs - track.lastMs > settings.maxGapMs / 2;
  if (obs.descriptor && track.descriptor) {
    const distance = euclidean(obs.descriptor, Float32Array.from(track.descriptor));
    if (distance > SAME_FACE_DISTANCE) return -1;
    // After a miss, position alone is weak evidence (people pass the same door one after the
    // other): the face must also look the same.
    if ((missed || longGap) && distance > RESUME_DISTANCE) return -1;
    return overlap + (1 - centre / 1.5) + (1 - distance);
  }
  if (missed && longGap) return -1;
  // Without descriptors only position speaks: a face that changed size much is someone else.
  if (sizeRatio < 0.75 || sizeRatio > 1.33) return -1;
  return overlap + (1 - centre / 1.5);
}

/** Faces paired with open tracks greedily by affinity, best pairs first. */
function pairUp(
  open: Track[],
  observations: Observation[],
  settings: TrackerSettings,
): Map<Observation, Track> {
  const pairs: { track: Track; obs: Observation; value: number }[] = [];
  for (const track of open) {
    for (const obs of observations) {
      const value = affinity(track, obs, settings);
      if (value >= 0) pairs.push({ track, obs, value });
    }
  }
  pairs.sort((a, b) => b.value - a.value);
  const paired = new Map<Observation, Track>();
  const usedTracks = new Set<Track>();
  for (const pair of pairs) {
    if (usedTracks.has(pair.track) || paired.has(pair.obs)) continue;
    usedTracks.add(pair.track);
    paired.set(pair.obs, pair.track);
  }
  return paired;
}

/**
 * Of a frame's faces that were not described, those that need a description after all: no track
 * seen in the previous frame (`previousMs`) would take the face by position — a request that left it
 * to an earlier one still in flight, which did not find it; or someone else where a person was a
 * moment ago — or the track that would has been described only once (a first box can be poor: a
 * face cut at the brow first scored 0.00, then 1.00) or is near the threshold.
 */
export function needDescription(
  state: TrackerState,
  observations: Observation[],
  previousMs: number,
  settings: TrackerSettings,
): Observation[] {
  const open = state.open.filter((track) => track.lastMs >= previousMs);
  const paired = pairUp(open, observations, settings);
  return observations.filter((obs) => {
    if (obs.descriptor) return false;
    const track = paired.get(obs);
    return !track || (track.scores?.length ?? 0) < 2 || !isClear(track, settings);
  });
}

/**
 * Adds one sampled frame's faces to the tracks (mutating `state`). Faces are paired with open tracks
 * greedily by position and, when both are described, by descriptor; the rest start new tracks.
 */
export function updateTracks(
  state: TrackerState,
  timeMs: number,
  observations: Observation[],
  settings: TrackerSettings,
  searched: Searched = 'all',
): TrackUpdate {
  const update: TrackUpdate = { confirmed: [], grown: [], closed: [] };
  const stillOpen: Track[] = [];
  for (const track of state.open) {
    if (timeMs - track.lastMs > settings.maxGapMs) {
      judgeAtClose(track, settings);
      update.closed.push(track);
    } else stillOpen.push(track);
  }
  state.open = stillOpen;

  const paired = pairUp(state.open, observations, settings);
  const usedTracks = new Set(paired.values());
  for (const [obs, track] of paired) extend(track, obs, settings, update);
  for (const track of state.open) {
    if (!usedTracks.has(track) && (searched === 'all' || searched.includes(track.key)))
      track.missedMs = timeMs;
  }
  for (const obs of observations) {
    if (paired.has(obs) || !obs.descriptor) continue;
    const track: Track = {
      key: `t${state.nextSeq}@${obs.timeMs}`,
      firstMs: obs.timeMs,
      lastMs: obs.timeMs,
      lastBox: obs.box,
      descriptor: null,
      describedMs: obs.timeMs,
      describedBox: null,
      score: null,
      agreeing: 0,
      scores: [],
      best: null,
      bestQuality: 0,
      detections: [],
      confirmed: false,
      reportedMs: -1,
    };
    state.nextSeq++;
    state.open.push(track);
    extend(track, obs, settings, update);
  }
  return update;
}

function extend(
  track: Track,
  obs: Observation,
  settings: TrackerSettings,
  update: TrackUpdate,
): void {
  const wasMatch = track.confirmed;
  const previousBest = track.best;
  const previousEnd = track.lastMs;
  track.lastMs = obs.timeMs;
  track.lastBox = obs.box;
  if (obs.descriptor && obs.score !== null) {
    track.descriptor = Array.from(obs.descriptor);
    track.describedMs = obs.timeMs;
    track.describedBox = obs.box;
    track.score = obs.score;
    if (obs.score >= settings.threshold) track.agreeing++;
    (track.scores ??= []).push(obs.score);
    if (
      !track.best ||
      obs.score > track.best.score ||
      (obs.score === track.best.score && obs.quality > track.bestQuality)
    ) {
      track.best = { timeMs: obs.timeMs, score: obs.score, box: obs.box };
      track.bestQuality = obs.quality;
    }
  }
  track.detections.push({ timeMs: obs.timeMs, score: track.score ?? 0, box: obs.box });
  if (!wasMatch && (track.scores?.length ?? 0) >= EVIDENCE_FRAMES && isMatch(track, settings)) {
    track.confirmed = true;
    update.confirmed.push(track);
  } else if (wasMatch && (track.best !== previousBest || obs.timeMs - previousEnd > 0)) {
    update.grown.push(track);
  }
}

/** Closes every open track (end of the video). */
export function closeAll(state: TrackerState, settings: TrackerSettings): Track[] {
  const closed = state.open;
  state.open = [];
  for (const track of closed) judgeAtClose(track, settings);
  return closed;
}

/** Pixels per millisecond. */
export interface Velocity {
  x: number;
  y: number;
}

/** Detections closer in time than this give a jittery velocity; an older one is taken if there. */
const VELOCITY_SPAN_MS = 400;

/** How fast the face moved between a detection some time back and its latest. */
function velocity(track: Track): Velocity {
  const last = track.detections.at(-1);
  const earlier =
    track.detections.findLast((d) => last && last.timeMs - d.timeMs >= VELOCITY_SPAN_MS) ??
    track.detections[0];
  if (!last || !earlier || earlier === last) return { x: 0, y: 0 };
  const dt = last.timeMs - earlier.timeMs;
  const centre = (box: Box) => ({ x: box.x + box.width / 2, y: box.y + box.height / 2 });
  return {
    x: (centre(last.box).x - centre(earlier.box).x) / dt,
    y: (centre(last.box).y - centre(earlier.box).y) / dt,
  };
}

/**
 * The track's score is clearly on one side of the threshold: a match well above it, or a stranger
 * well below. Describing it again would change nothing.
 */
function isClear(track: Track, settings: TrackerSettings): boolean {
  if (track.score === null) return false;
  return track.confirmed
    ? track.score >= settings.threshold + (1 - settings.threshold) / 2
    : track.score < settings.threshold - UNCERTAIN_MARGIN;
}

/** An open track's face as the next requests see it (plain JSON: kept in checkpoints). */
export interface TrackedFace {
  key: string;
  box: Box;
  velocity: Velocity;
  settled: boolean;
  /** Its score is near the threshold: described on every frame, not once per round trip. */
  uncertain: boolean;
}

/**
 * The open tracks' faces, with their velocity, settled when the track was seen in this frame, its
 * descriptor is recent and its score clearly on one side of the threshold: describing them again
 * would change nothing. Position carries their identity meanwhile. Uncertain: the score is near
 * the threshold, so every frame's description counts.
 */
export function trackedFaces(
  state: TrackerState,
  timeMs: number,
  settings: TrackerSettings,
): TrackedFace[] {
  return state.open.map((track) => {
    const clear = isClear(track, settings);
    return {
      key: track.key,
      box: track.lastBox,
      velocity: velocity(track),
      settled:
        clear &&
        // A face found where a track was lost may be someone else: it is described again.
        track.lastMs === timeMs &&
        timeMs - track.describedMs < settings.redescribeMs,
      uncertain: track.score !== null && !clear,
    };
  });
}
