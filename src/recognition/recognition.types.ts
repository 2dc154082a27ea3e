/*
 * The face engine's contract with the rest of the product. The engine is pure: frames and images
 * in, faces, scores and appearances out. It imports nothing from HTTP, the database or the queue.
 */

export type Preset = 'fast' | 'balanced' | 'thorough';

/** A decoded video frame: packed RGB24, already scaled to the detector's working size. */
export interface RgbFrame {
  data: Uint8Array;
  width: number;
  height: number;
  /** Presentation time of the frame in the source video, milliseconds from its start. */
  timeMs: number;
  /** Size of the original video frame, so boxes can be reported in its pixels. */
  sourceWidth: number;
  sourceHeight: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type EnrolErrorCode =
  'NO_FACE_IN_PHOTO' | 'MULTIPLE_FACES' | 'FACE_TOO_SMALL' | 'UNSUPPORTED_IMAGE';

export type EnrolResult =
  | {
      ok: true;
      /** Face box in pixels of the photo as given. */
      box: Box;
      quality: number;
      descriptor: Float32Array;
      modelName: string;
      modelVersion: string;
    }
  | { ok: false; code: EnrolErrorCode; message: string; faces?: Box[] };

/** Settings of one analysis; a preset fills them, a search may override fps and threshold. */
export interface AnalysisSettings {
  preset: Preset;
  sampledFps: number;
  /** Minimum calibrated similarity in [0, 1] for a face to count as the person. */
  threshold: number;
}

/** One face of the person in one sampled frame. Boxes are in pixels of the original frame. */
export interface MatchedFace {
  timeMs: number;
  score: number;
  box: Box;
}

/** A passage in which the person is seen: consecutive sampled frames of one tracked face. */
export interface Appearance {
  /** Stable within one analysis (also across resume), so storing it twice is detectable. */
  trackKey: string;
  startMs: number;
  endMs: number;
  bestScore: number;
  best: MatchedFace;
  detections: MatchedFace[];
}

/** Where an analysis stopped; JSON-serialisable, handed back to resume without duplicates. */
export interface AnalysisCheckpoint {
  processedMs: number;
  framesAnalysed: number;
  /** Engine-private state (open tracks); opaque to callers. */
  state: unknown;
}

export type AnalysisEvent =
  | {
      type: 'progress';
      processedMs: number;
      framesAnalysed: number;
      checkpoint: AnalysisCheckpoint;
    }
  /** An appearance became a match, or a match grew; `frame` is the frame of its best face. */
  | { type: 'match'; appearance: Appearance; final: boolean; bestFrame: RgbFrame };
