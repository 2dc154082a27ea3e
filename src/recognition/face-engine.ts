import { createRequire } from 'node:module';
import os from 'node:os';
import * as workerThreads from 'node:worker_threads';
import sharp, { type OutputInfo, type Sharp } from 'sharp';
import { FacePool } from './face-pool.js';
import { faceQuality } from './face-quality.js';
import { scaleBox } from './geometry.js';
import type {
  Box,
  DetectOptions,
  DetectedFace,
  DetectionSettings,
  EnrolResult,
  FaceEngine,
  FaceEngineOptions,
  FrameFaces,
  ReferenceFace,
  RgbFrame,
} from './recognition.types.js';

const require = createRequire(import.meta.url);
const faceApiVersion = (require('@vladmandic/face-api/package.json') as { version: string })
  .version;

/** Reference photos larger than this are shrunk first: SSD sees 512 px anyway. */
const ENROL_MAX_SIDE = 1280;
/** A reference face narrower than this (photo pixels) is too small to describe reliably. */
export const MIN_ENROL_FACE = 40;
/** Margins (fraction of the photo's size, each side) tried in turn when no face is found. */
const ENROL_PADDINGS = [0.25, 1, 0.5];
const ENROL_DETECTION: DetectionSettings = {
  detector: 'ssd',
  tinyInputSize: 608,
  maxSide: ENROL_MAX_SIDE,
  minDetectorScore: 0.5,
  minFaceSize: 0,
  minSharpness: 0,
};

interface DecodedPhoto {
  frame: RgbFrame;
  /** Photo pixels per frame pixel, and where the photo sits in the frame (padding). */
  scale: number;
  offsetX: number;
  offsetY: number;
  /** Upright size of the photo as given. */
  width: number;
  height: number;
}

/**
 * A tight crop in a margin that continues its border outward, blurred, the way hair and background
 * surround a face in a real picture (a flat colour there would also enter the descriptor's chip).
 */
export async function surroundTightCrop(
  pixels: Buffer,
  info: Pick<OutputInfo, 'width' | 'height' | 'channels'>,
  marginX: number,
  marginY: number,
): Promise<Sharp> {
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  const around = await sharp(pixels, raw)
    .extend({ top: marginY, bottom: marginY, left: marginX, right: marginX, extendWith: 'copy' })
    .blur(Math.max(1, Math.min(info.width, info.height) / 10))
    .raw()
    .toBuffer({ resolveWithObject: true });
  return sharp(around.data, { raw: around.info })
    .composite([{ input: pixels, ...raw, top: marginY, left: marginX }])
    .removeAlpha();
}

async function decodePhoto(image: Buffer, pad: number): Promise<DecodedPhoto | null> {
  try {
    let pipeline = sharp(image, { failOn: 'error' })
      .rotate()
      .resize({
        width: ENROL_MAX_SIDE,
        height: ENROL_MAX_SIDE,
        fit: 'inside',
        withoutEnlargement: true,
      })
      .removeAlpha()
      .toColourspace('srgb');
    const meta = await sharp(image).metadata();
    const oriented =
      (meta.orientation ?? 1) >= 5
        ? { width: meta.height, height: meta.width }
        : { width: meta.width, height: meta.height };
    let offsetX = 0;
    let offsetY = 0;
    if (pad > 0) {
      const resized = await pipeline.raw().toBuffer({ resolveWithObject: true });
      offsetX = Math.round(resized.info.width * pad);
      offsetY = Math.round(resized.info.height * pad);
      pipeline = await surroundTightCrop(resized.data, resized.info, offsetX, offsetY);
    }
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) return null;
    const innerWidth = info.width - 2 * offsetX;
    return {
      frame: {
        data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
        width: info.width,
        height: info.height,
        timeMs: 0,
        sourceWidth: info.width,
        sourceHeight: info.height,
      },
      scale: (oriented.width ?? innerWidth) / innerWidth,
      offsetX,
      offsetY,
      width: oriented.width ?? innerWidth,
      height: oriented.height ?? info.height - 2 * offsetY,
    };
  } catch {
    return null;
  }
}

/** Back to photo pixels, clipped to the photo (a face cut by its edge may extend into the margin). */
function toPhotoBox(box: Box, photo: DecodedPhoto): Box {
  const scaled = scaleBox(
    { ...box, x: box.x - photo.offsetX, y: box.y - photo.offsetY },
    photo.scale,
    photo.scale,
  );
  const x = Math.max(0, scaled.x);
  const y = Math.max(0, scaled.y);
  return {
    x,
    y,
    width: Math.min(photo.width, scaled.x + scaled.width) - x,
    height: Math.min(photo.height, scaled.y + scaled.height) - y,
  };
}

/** A region inside the frame (integers), or nothing when it falls outside or is too thin to search. */
function clipBox(box: Box, frame: RgbFrame): Box[] {
  const x = Math.max(0, Math.floor(box.x));
  const y = Math.max(0, Math.floor(box.y));
  const width = Math.min(frame.width, Math.ceil(box.x + box.width)) - x;
  const height = Math.min(frame.height, Math.ceil(box.y + box.height)) - y;
  return width >= 32 && height >= 32 ? [{ x, y, width, height }] : [];
}

/** Starts the worker pool; weights load from the face-api package's `model/` folder. */
export function createFaceEngine(options: FaceEngineOptions = {}): FaceEngine {
  const pool = new FacePool(options.workers ?? Math.max(1, os.availableParallelism()));

  async function detectFaces(
    frame: RgbFrame,
    settings: DetectionSettings,
    detectOptions: DetectOptions = {},
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
    const sx = frame.sourceWidth / frame.width;
    const sy = frame.sourceHeight / frame.height;
    /** From the caller's (source) pixels to those of the decoded frame the worker reads. */
    const toDecoded = (box: Box) => scaleBox(box, 1 / sx, 1 / sy);
    const data = transferable(frame.data) ? frame.data : frame.data.slice();
    const response = await pool.run({
      type: 'detect',
      data,
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
      wholeFrame: detectOptions.wholeFrame ?? detectOptions.regions === undefined,
      regions: (detectOptions.regions ?? []).flatMap((region) =>
        clipBox(toDecoded(region.box), frame).map((box) => ({
          box,
          faceSize: region.faceSize === undefined ? undefined : region.faceSize / sx,
          settled: region.settled,
        })),
      ),
      deferAreas: (detectOptions.deferAreas ?? []).map(toDecoded),
      describeAt: (detectOptions.describeAt ?? []).map(toDecoded),
    });
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

  async function findFaces(photo: DecodedPhoto): Promise<FrameFaces> {
    return detectFaces(photo.frame, ENROL_DETECTION);
  }

  async function enrolPhoto(
    image: Buffer,
    enrolOptions: { faceIndex?: number } = {},
  ): Promise<EnrolResult> {
    let photo = await decodePhoto(image, 0);
    if (!photo) {
      return {
        ok: false,
        code: 'UNSUPPORTED_IMAGE',
        message: 'The file is not an image we can read.',
      };
    }
    let found = await findFaces(photo);
    // Tight face crops: a detector trained on scenes finds the face once it has surroundings, and
    // which margin works varies from photo to photo.
    for (const pad of ENROL_PADDINGS) {
      if (found.faces.length > 0) break;
      photo = (await decodePhoto(image, pad))!;
      found = await findFaces(photo);
    }
    const decoded = photo;
    const faces = found.faces
      .map((face) => ({ ...face, box: toPhotoBox(face.box, decoded) }))
      .sort((a, b) => a.box.x - b.box.x);
    if (faces.length === 0) {
      return { ok: false, code: 'NO_FACE_IN_PHOTO', message: 'No face was found in the photo.' };
    }
    const usable = faces.filter(
      (face) => Math.min(face.box.width, face.box.height) >= MIN_ENROL_FACE,
    );
    if (usable.length === 0) {
      return {
        ok: false,
        code: 'FACE_TOO_SMALL',
        message: `The face is smaller than ${MIN_ENROL_FACE} pixels; use a closer or larger photo.`,
        faces: faces.map((face) => face.box),
      };
    }
    const index = enrolOptions.faceIndex;
    if (usable.length > 1 && index === undefined) {
      return {
        ok: false,
        code: 'MULTIPLE_FACES',
        message: `The photo shows ${usable.length} faces; choose one by its index (left to right).`,
        faces: usable.map((face) => face.box),
      };
    }
    const chosen = usable[index ?? 0];
    if (!chosen?.descriptor) {
      return {
        ok: false,
        code: 'NO_FACE_IN_PHOTO',
        message: `There is no face number ${index ?? 0} in the photo.`,
        faces: usable.map((face) => face.box),
      };
    }
    return {
      ok: true,
      box: chosen.box,
      quality: chosen.quality,
      descriptor: chosen.descriptor,
      modelName: FACE_MODEL_NAME,
      modelVersion: FACE_MODEL_VERSION,
    };
  }

  return {
    concurrency: pool.size,
    modelName: FACE_MODEL_NAME,
    modelVersion: FACE_MODEL_VERSION,
    enrolPhoto,
    detectFaces,
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
