import type { AnalysisCheckpoint, Box } from './recognition.types.js';
import { sameBox } from './geometry.js';
import { emptyTrackerState, type TrackedFace, type TrackerState } from './tracker.js';

/**
 * Frames in flight. Fixed (not the worker count) because what a frame's request may skip depends on
 * the tracks known when it is sent; a fixed lag makes a resumed run send exactly the same requests.
 */
export const PIPELINE_DEPTH = 3;

/** A face found in a frame, in the plain JSON a checkpoint keeps. */
export interface StoredFace {
  box: Box;
  quality: number;
  descriptor: number[] | null;
  /** Left undescribed for a request in flight that describes new faces where it is. */
  deferred?: boolean;
}

/** The engine-private part of a checkpoint: plain JSON. */
export interface LoopState {
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

export interface HistoryEntry {
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

function restoreState(stored: unknown): LoopState {
  const state = structuredClone(stored) as Omit<LoopState, 'history'> & {
    history: (HistoryEntry | LegacyHistoryEntry)[];
  };
  return { ...state, history: state.history.map(upgradeHistory) };
}

/** The state a run starts from: the checkpoint's when resuming, nothing seen yet otherwise. */
export function startingState(resumeFrom: AnalysisCheckpoint | undefined): LoopState {
  if (resumeFrom) return restoreState(resumeFrom.state);
  return {
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
}
