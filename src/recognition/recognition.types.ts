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

/** A reference face of the person: its descriptor, and how wide the face was in its photo. */
export interface ReferenceFace {
  descriptor: Float32Array;
  /** Pixels of the photo as given: small faces' descriptors are compared on their own curve. */
  faceSize: number;
}

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

/** How faces are found in one frame; `resolveSettings` fills these from a preset. */
export interface DetectionSettings {
  /** SSD MobileNetV1 (accurate, ~190 ms a frame) or TinyFaceDetector (~40 ms a frame). */
  detector: 'ssd' | 'tiny';
  /** TinyFaceDetector input size (multiple of 32); SSD always works at 512. */
  tinyInputSize: number;
  /** Longest side of the frames the media adapter should hand over (`DecodeOptions.maxSide`). */
  maxSide: number;
  minDetectorScore: number;
  /** Shorter side of a face box in pixels of the original video; smaller faces are skipped. */
  minFaceSize: number;
  /** Variance of the Laplacian on the face crop; blurrier faces are skipped. */
  minSharpness: number;
}

/**
 * Settings of one analysis; a preset fills them (`resolveSettings`), a search may override fps and
 * threshold.
 */
export interface AnalysisSettings extends DetectionSettings {
  preset: Preset;
  sampledFps: number;
  /** Minimum calibrated similarity in [0, 1] for a face to count as the person. */
  threshold: number;
  /** Frames above the threshold an appearance needs before it is a match. */
  minMatchFrames: number;
  /** An appearance seen above the threshold in fewer frames needs its best score above this. */
  singleFrameThreshold: number;
  /** A track survives this long without being seen (a missed detection, a passer-by in front). */
  maxGapMs: number;
  /** A tracked face is described again after this long (sooner while its score is uncertain). */
  redescribeMs: number;
  /**
   * The whole frame is searched at least this often; in between only where the picture moved and
   * around tracked faces, each region at full resolution.
   */
  keyframeMs: number;
}

/** One face found in a frame. Boxes are in pixels of the original frame. */
export interface DetectedFace {
  box: Box;
  score: number;
  quality: number;
  sharpness: number;
  /** Null when found in a settled region (its track already has a descriptor) or deferred. */
  descriptor: Float32Array | null;
  /** Not described because a request still in flight describes new faces there (`deferAreas`). */
  deferred: boolean;
}

/** A part of a frame to search for faces, in original frame pixels. */
export interface SearchRegion {
  box: Box;
  /**
   * Size of the face expected there (a tracked face): the region is searched at the resolution
   * that makes such a face comfortably large for the detector, usually far below full resolution.
   * Without it the region is searched at full resolution, so even small new faces are found.
   */
  faceSize?: number;
  /**
   * The tracked face here has a recent descriptor: the face found nearest the region's centre is not
   * described again (position carries its identity meanwhile).
   */
  settled?: boolean;
}

export interface DetectOptions {
  /** Look here too, each region searched on its own by TinyFaceDetector. */
  regions?: SearchRegion[];
  /**
   * Where a request still in flight searches for new faces and describes them: a face centred here
   * is returned undescribed unless it was found in a tracked face's region.
   */
  deferAreas?: Box[];
  /** Faces found before in this frame: described as they are, without looking for them again. */
  describeAt?: Box[];
  /** Also search the whole frame with the settings' detector; default: when no regions are given. */
  wholeFrame?: boolean;
}

export interface FrameFaces {
  /** The frame, its pixels handed back by the worker (the input frame's buffer is detached). */
  frame: RgbFrame;
  faces: DetectedFace[];
  /** Faces the quality gate rejected (too small, blurred). */
  rejected: number;
  detectMs: number;
  describeMs: number;
}

export interface FaceEngineOptions {
  /** Worker threads; defaults to the number of cores. */
  workers?: number;
}

export interface FaceEngine {
  /** Worker threads: how many frames a caller should keep in flight. */
  readonly concurrency: number;
  readonly modelName: string;
  readonly modelVersion: string;
  /** Finds exactly one usable face in a photo (any format sharp decodes) and describes it. */
  enrolPhoto(image: Buffer, options?: { faceIndex?: number }): Promise<EnrolResult>;
  /**
   * Detects, gates and describes faces in a frame. The pixels travel to a worker and back without
   * copies: use `result.frame` afterwards, the input frame's buffer is detached.
   */
  detectFaces(
    frame: RgbFrame,
    settings: DetectionSettings,
    options?: DetectOptions,
  ): Promise<FrameFaces>;
  close(): Promise<void>;
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
  /**
   * An appearance became a match, or a match grew, or (`final`) it ended. `bestFrame` holds the
   * pixels of its best face; null only after a resume when that face was seen (and reported) before
   * the checkpoint.
   */
  | { type: 'match'; appearance: Appearance; final: boolean; bestFrame: RgbFrame | null };

/** Where the time went, filled in by `analyseFrames` as it runs (for the benchmark and logs). */
export interface AnalysisStats {
  framesAnalysed: number;
  /** Frames in which nothing moved: the previous frame's faces were reused without the model. */
  framesReused: number;
  facesDescribed: number;
  /** Worker time, summed over workers. */
  detectMs: number;
  describeMs: number;
  /** Main-thread time: similarity, tracking, motion check. */
  matchMs: number;
  /** Time spent waiting for the next frame from the source. */
  waitFrameMs: number;
}
