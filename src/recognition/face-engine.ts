import { createRequire } from 'node:module';
import os from 'node:os';
import * as workerThreads from 'node:worker_threads';
import { enrolPhoto } from './face-enrolment.js';
import { FacePool } from './face-pool.js';
import { faceQuality } from './face-quality.js';
import type { DetectRequest, DetectResponse } from './face-worker.protocol.js';
import { scaleBox } from './geometry.js';
import type {
  Box,
  DetectOptions,
  DetectedFace,
  DetectionSettings,
  FaceEngine,
  FaceEngineOptions,
  FrameFaces,
  ReferenceFace,
  RgbFrame,
} from './recognition.types.js';

export { MIN_ENROL_FACE, surroundTightCrop } from './face-enrolment.js';

const require = createRequire(import.meta.url);
const faceApiVersion = (require('@vladmandic/face-api/package.json') as { version: string })
  .version;

/** A region inside the frame (integers), or nothing when it falls outside or is too thin to search. */
function clipBox(box: Box, frame: RgbFrame): Box[] {
  const x = Math.max(0, Math.floor(box.x));
  const y = Math.max(0, Math.floor(box.y));
  const width = Math.min(frame.width, Math.ceil(box.x + box.width)) - x;
  const height = Math.min(frame.height, Math.ceil(box.y + box.height)) - y;
  return width >= 32 && height >= 32 ? [{ x, y, width, height }] : [];
}

/** A detect request in the worker's terms: pixels and boxes of the decoded frame it reads. */
function workerRequest(
  frame: RgbFrame,
  settings: DetectionSettings,
  options: DetectOptions,
): Omit<DetectRequest, 'id'> {
  const sx = frame.sourceWidth / frame.width;
  const sy = frame.sourceHeight / frame.height;
  /** From the caller's (source) pixels to those of the decoded frame the worker reads. */
  const toDecoded = (box: Box) => scaleBox(box, 1 / sx, 1 / sy);
  return {
    type: 'detect',
    data: transferable(frame.data) ? frame.data : frame.data.slice(),
    width: frame.width,
    height: frame.height,
    detector:
      settings.detector === 'ssd'
        ? { kind: 'ssd', minScore: settings.minDetectorScore }
        : {
            kind: 'tiny',
            inputSize: settings.tinyInputSize,
            minScore: settings.minDetectorScore,
          },
    gate: { minFaceSize: settings.minFaceSize / sx, minSharpness: settings.minSharpness },
    wholeFrame: options.wholeFrame ?? options.regions === undefined,
    regions: (options.regions ?? []).flatMap((region) =>
      clipBox(toDecoded(region.box), frame).map((box) => ({
        box,
        faceSize: region.faceSize === undefined ? undefined : region.faceSize / sx,
        settled: region.settled,
      })),
    ),
    deferAreas: (options.deferAreas ?? []).map(toDecoded),
    describeAt: (options.describeAt ?? []).map(toDecoded),
  };
}

/** The worker's answer in the caller's terms: boxes in source pixels, faces with their quality. */
function frameFaces(frame: RgbFrame, response: DetectResponse): FrameFaces {
  const sx = frame.sourceWidth / frame.width;
  const sy = frame.sourceHeight / frame.height;
  const faces: DetectedFace[] = response.faces.map((face) => {
    const box = scaleBox(face.box, sx, sy);
    return {
      box,
      score: face.score,
      quality: faceQuality(face.score, box, face.sharpness),
      sharpness: face.sharpness,
      descriptor: face.descriptor,
      deferred: face.deferred,
    };
  });
  return {
    frame: { ...frame, data: response.data },
    faces,
    rejected: response.rejected,
    detectMs: response.detectMs,
    describeMs: response.describeMs,
  };
}

async function detectFaces(
  pool: FacePool,
  frame: RgbFrame,
  settings: DetectionSettings,
  options: DetectOptions = {},
): Promise<FrameFaces> {
  const expected = frame.width * frame.height * 3;
  // A buffer already transferred to a worker reads as empty, and Node drops a message that
  // transfers it again without a word: the request would never be answered.
  if (frame.data.length !== expected) {
    throw new RangeError(
      `frame has ${frame.data.length} bytes of pixels, ${frame.width}×${frame.height} RGB needs ` +
        `${expected} (pixels handed to detectFaces are transferred: use the frame it returns)`,
    );
  }
  const response = await pool.run(workerRequest(frame, settings, options));
  return frameFaces(frame, response);
}

/** Starts the worker pool; weights load from the face-api package's `model/` folder. */
export function createFaceEngine(options: FaceEngineOptions = {}): FaceEngine {
  const pool = new FacePool(options.workers ?? Math.max(1, os.availableParallelism()));
  const model = { modelName: FACE_MODEL_NAME, modelVersion: FACE_MODEL_VERSION };
  return {
    concurrency: pool.size,
    ...model,
    enrolPhoto: (image, enrolOptions = {}) =>
      enrolPhoto(
        image,
        enrolOptions.faceIndex,
        (frame, settings) => detectFaces(pool, frame, settings),
        model,
      ),
    detectFaces: (frame, settings, detectOptions) =>
      detectFaces(pool, frame, settings, detectOptions),
    close: () => pool.close(),
  };
}

/** Stored with every embedding: descriptors of different models are not comparable. */
export const FACE_MODEL_NAME = 'face-api-resnet34-128d';
/** face-api's version, and how the face is cut for the network (src/recognition/face-chip.ts). */
export const FACE_MODEL_VERSION = `${faceApiVersion}+dlib-chip`;

/** What matching needs of an enrolled photo. */
export function referenceFace(enrolled: { descriptor: Float32Array; box: Box }): ReferenceFace {
  return { descriptor: enrolled.descriptor, faceSize: enrolled.box.width };
}

// Node 21+ marks buffers it must not hand over (its Buffer pool, memory a native addon owns such as
// sharp's output), and transferring one throws DataCloneError; Node 20 has no such check.
const isMarkedAsUntransferable = (
  workerThreads as { isMarkedAsUntransferable?: (value: object) => boolean }
).isMarkedAsUntransferable;

/** Only a buffer the frame owns outright and Node lets go of can be transferred; others are copied. */
function transferable(pixels: Uint8Array): boolean {
  if (pixels.byteOffset !== 0 || pixels.byteLength !== pixels.buffer.byteLength) return false;
  return !(isMarkedAsUntransferable?.(pixels.buffer) ?? false);
}
