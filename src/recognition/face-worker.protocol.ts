import type { Box } from './recognition.types.js';

/** Which detector a worker runs on a frame, and its own settings. */
export type DetectorSpec =
  { kind: 'ssd'; minScore: number } | { kind: 'tiny'; inputSize: number; minScore: number };

/** Faces failing any of these are dropped in the worker: never described, never matched. */
export interface QualityGate {
  /** Shorter side of the face box in frame pixels. */
  minFaceSize: number;
  /** Variance of the Laplacian of the face crop (grey, resampled to 48×48). */
  minSharpness: number;
}

export interface DetectRequest {
  id: number;
  type: 'detect';
  data: Uint8Array;
  width: number;
  height: number;
  detector: DetectorSpec;
  /** Search the whole frame with `detector` (at the detector's input size). */
  wholeFrame: boolean;
  /** Also search these (frame pixels), each by TinyFaceDetector at its own resolution. */
  regions: { box: Box; faceSize?: number; settled?: boolean }[];
  /** A face centred here and found outside a tracked region is not described (frame pixels). */
  deferAreas: Box[];
  /** Faces found before in this frame: described as they are, not looked for (frame pixels). */
  describeAt: Box[];
  gate: QualityGate;
}

export interface WorkerFace {
  /** Frame pixels. */
  box: Box;
  score: number;
  sharpness: number;
  descriptor: Float32Array | null;
  /** Left undescribed for a request still in flight (its centre is in `deferAreas`). */
  deferred: boolean;
}

export interface DetectResponse {
  id: number;
  ok: true;
  /** The request's pixels, transferred back. */
  data: Uint8Array;
  faces: WorkerFace[];
  /** Faces the detector saw but the quality gate rejected. */
  rejected: number;
  detectMs: number;
  describeMs: number;
}

export interface ErrorResponse {
  id: number;
  ok: false;
  message: string;
}

export type WorkerResponse = DetectResponse | ErrorResponse | { id: -1; ok: true; ready: true };

export interface WorkerInit {
  modelDir: string;
  wasmDir: string;
}
