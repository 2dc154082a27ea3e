/*
 * Enrolment: a reference photo of the person becomes one described face. The photo is decoded
 * upright, and a tight crop is given surroundings until the detector finds the face in it.
 */
import sharp, { type OutputInfo, type Sharp } from 'sharp';
import { scaleBox } from './geometry.js';
import type {
  Box,
  DetectedFace,
  DetectionSettings,
  EnrolResult,
  FrameFaces,
  RgbFrame,
} from './recognition.types.js';

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

/** Detects faces in a frame with the given settings (the engine's `detectFaces`). */
export type DetectInFrame = (frame: RgbFrame, settings: DetectionSettings) => Promise<FrameFaces>;

/**
 * The faces in a photo, in photo pixels, left to right; null when the file is not an image. Tight face
 * crops: a detector trained on scenes finds the face once it has surroundings, and which margin
 * works varies from photo to photo, so margins are tried in turn while no face is found.
 */
async function facesInPhoto(image: Buffer, detect: DetectInFrame): Promise<DetectedFace[] | null> {
  let photo = await decodePhoto(image, 0);
  if (!photo) return null;
  let found = await detect(photo.frame, ENROL_DETECTION);
  for (const pad of ENROL_PADDINGS) {
    if (found.faces.length > 0) break;
    photo = (await decodePhoto(image, pad))!;
    found = await detect(photo.frame, ENROL_DETECTION);
  }
  const decoded = photo;
  return found.faces
    .map((face) => ({ ...face, box: toPhotoBox(face.box, decoded) }))
    .sort((a, b) => a.box.x - b.box.x);
}

/** The face to enrol among those found, or why there is none. */
function chooseFace(
  faces: DetectedFace[],
  index: number | undefined,
  model: { modelName: string; modelVersion: string },
): EnrolResult {
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
    ...model,
  };
}

/** Finds exactly one usable face in a photo (any format sharp decodes) and describes it. */
export async function enrolPhoto(
  image: Buffer,
  faceIndex: number | undefined,
  detect: DetectInFrame,
  model: { modelName: string; modelVersion: string },
): Promise<EnrolResult> {
  const faces = await facesInPhoto(image, detect);
  if (faces === null) {
    return {
      ok: false,
      code: 'UNSUPPORTED_IMAGE',
      message: 'The file is not an image we can read.',
    };
  }
  return chooseFace(faces, faceIndex, model);
}
