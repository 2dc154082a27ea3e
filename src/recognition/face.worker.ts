/*
 * One face-model worker thread: loads face-api on the tfjs wasm backend once, then answers detect
 * requests one at a time. Frames arrive as transferred buffers; nothing here touches disk after start.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type * as FaceApi from '@vladmandic/face-api';
import { CHIP_SIZE, chipTransform, cutChip, type Point } from './face-chip.js';
import { faceSharpness } from './face-quality.js';
import type {
  DetectRequest,
  DetectResponse,
  WorkerFace,
  WorkerInit,
  WorkerResponse,
} from './face-worker.protocol.js';
import { centreInside, iou } from './geometry.js';
import type { Box } from './recognition.types.js';
import { gridInput, squareInput, type DetectorInput, type Pixels } from './detector-input.js';
import { decodeTinyGrid, TINY_CELL, type Anchor } from './tiny-face-grid.js';

const require = createRequire(import.meta.url);
// The ESM build of tfjs does not resolve under Node; the CommonJS builds do.
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as typeof FaceApi;
const wasm = require('@tensorflow/tfjs-backend-wasm') as {
  setWasmPaths: (prefix: string, usePlatformFetch?: boolean) => void;
};
const tf = faceapi.tf as typeof faceapi.tf & {
  setBackend: (name: string) => Promise<boolean>;
  ready: () => Promise<void>;
};

type Tensor4D = ReturnType<typeof tf.tensor4d>;

/**
 * The parts of face-api's TinyFaceDetector used directly: its `detect` pads every input to a
 * square, and its input handling costs as much as the network on small inputs.
 */
interface TinyYoloNet {
  params: unknown;
  config: { anchors: Anchor[]; meanRgb: [number, number, number] };
  runMobilenet(input: Tensor4D, params: unknown): Tensor4D;
}
const tinyNet = faceapi.nets.tinyFaceDetector as unknown as TinyYoloNet;

const init = workerData as WorkerInit;
const port = parentPort!;

async function start(): Promise<void> {
  wasm.setWasmPaths(init.wasmDir.endsWith(path.sep) ? init.wasmDir : init.wasmDir + path.sep);
  await tf.setBackend('wasm');
  await tf.ready();
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(init.modelDir);
  await faceapi.nets.tinyFaceDetector.loadFromDisk(init.modelDir);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(init.modelDir);
  await faceapi.nets.faceRecognitionNet.loadFromDisk(init.modelDir);
}

/** SSD MobileNetV1 resizes whatever it is given to this square. */
const SSD_INPUT = 512;

/** Faces this large (input pixels) are found reliably by TinyFaceDetector. */
const COMFORTABLE_FACE = 64;

/**
 * Below this size (input pixels) TinyFaceDetector starts to miss faces: a 40 px face cut at the
 * eyebrows was found at 1.25× and lost at 1×.
 */
const SMALLEST_FOUND_FACE = 48;

/**
 * Tiny's input size for a region (whole cells of its grid): where a new face may appear, enlarged so the
 * smallest face the gate accepts is big enough to be found; less when the face there is known and
 * large.
 */
function regionInputSize(region: { box: Box; faceSize?: number }, minFaceSize: number): number {
  const side = Math.max(region.box.width, region.box.height);
  const scale = region.faceSize
    ? Math.min(1, COMFORTABLE_FACE / region.faceSize)
    : Math.max(1, SMALLEST_FOUND_FACE / minFaceSize);
  return Math.min(512, Math.max(128, Math.ceil((side * scale) / TINY_CELL) * TINY_CELL));
}

interface Found {
  box: Box;
  score: number;
  /** The face of a settled tracked region: its track has a recent descriptor. */
  settled?: boolean;
  /** Found in a tracked face's region, where the request asked for it. */
  tracked?: boolean;
}

/**
 * One face gives several overlapping boxes (neighbouring cells and anchors of the detector's grid;
 * regions that overlap): keep the surest of boxes overlapping by IoU > 0.4 (face-api's threshold for
 * TinyFaceDetector), settled (or tracked) if any of them is.
 */
function suppressDuplicates(found: Found[]): Found[] {
  const kept: Found[] = [];
  for (const candidate of [...found].sort((a, b) => b.score - a.score)) {
    const same = kept.find((other) => iou(other.box, candidate.box) > 0.4);
    if (!same) kept.push({ ...candidate });
    else {
      same.settled ||= candidate.settled;
      same.tracked ||= candidate.tracked;
    }
  }
  return kept;
}

/**
 * Of the faces found in a tracked region, the tracked one is the one nearest its centre; settled
 * when its track needs no new descriptor.
 */
function markTracked(found: Found[], region: Box, settled: boolean): Found[] {
  const centre = { x: region.x + region.width / 2, y: region.y + region.height / 2 };
  const offset = (face: Found) =>
    Math.hypot(
      face.box.x + face.box.width / 2 - centre.x,
      face.box.y + face.box.height / 2 - centre.y,
    );
  const nearest = found.reduce<Found | null>(
    (best, face) => (best === null || offset(face) < offset(best) ? face : best),
    null,
  );
  if (nearest) {
    nearest.tracked = true;
    nearest.settled = settled;
  }
  return found;
}

/**
 * Side of the input a tracked face is looked for in, input pixels (its region is 1.8× the face, so
 * the face is about 71 px). Faces of ~40 px gave boxes loose enough to move look-alikes' scores
 * across the threshold in the ASL clips.
 */
const TRACKED_INPUT = 128;
/**
 * A settled face is not described, only followed: its position needs no tight box, and at ~53 px
 * it is still found (at ~36 px, from 64, two thirds of them were lost). Costs ~half of 128.
 */
const SETTLED_INPUT = 96;

function trackedInputSize(region: { settled?: boolean }): number {
  return region.settled ? SETTLED_INPUT : TRACKED_INPUT;
}

/** Boxes found in a detector input, in frame pixels. */
function toFrame(input: DetectorInput, found: { box: Box; score: number }[]): Found[] {
  return found.map(({ box, score }) => ({
    box: {
      x: input.x + box.x / input.scale,
      y: input.y + box.y / input.scale,
      width: box.width / input.scale,
      height: box.height / input.scale,
    },
    score,
  }));
}

/** SSD MobileNetV1 on the whole frame (it always works on a 512 square). */
async function detectWithSsd(frame: Pixels, minScore: number): Promise<Found[]> {
  const whole = { x: 0, y: 0, width: frame.width, height: frame.height };
  const input = squareInput(frame, whole, SSD_INPUT);
  const tensor = tf.tensor3d(input.data, [input.height, input.width, 3], 'float32');
  try {
    const options = new faceapi.SsdMobilenetv1Options({ minConfidence: minScore, maxResults: 100 });
    const detections = await faceapi.detectAllFaces(tensor, options);
    return toFrame(input, detections);
  } finally {
    tensor.dispose();
  }
}

/**
 * What face-api does to a TinyFaceDetector input (subtract the mean colour, divide by 255), in
 * place: as two tensor ops it costs almost as much as the network on a 128 px input.
 */
function normaliseForTiny(data: Float32Array): void {
  const [red, green, blue] = tinyNet.config.meanRgb;
  for (let i = 0; i < data.length; i += 3) {
    data[i] = (data[i]! - red) / 255;
    data[i + 1] = (data[i + 1]! - green) / 255;
    data[i + 2] = (data[i + 2]! - blue) / 255;
  }
}

/** TinyFaceDetector on `box`, resampled so its longer side is `longSide` input pixels. */
async function detectWithTiny(
  frame: Pixels,
  box: Box,
  longSide: number,
  minScore: number,
): Promise<Found[]> {
  const input = gridInput(frame, box, longSide, TINY_CELL);
  normaliseForTiny(input.data);
  const output = tf.tidy(() => {
    const pixels = tf.tensor4d(input.data, [1, input.height, input.width, 3], 'float32');
    return tinyNet.runMobilenet(pixels, tinyNet.params);
  });
  try {
    const [, rows = 0, columns = 0] = output.shape;
    const grid = { data: (await output.data()) as Float32Array, rows, columns };
    return suppressDuplicates(
      toFrame(input, decodeTinyGrid(grid, tinyNet.config.anchors, minScore)),
    );
  } finally {
    output.dispose();
  }
}

/**
 * The whole frame with the request's detector; each tracked face in a small input of its own;
 * where the picture moved, at full resolution.
 */
async function locate(req: DetectRequest): Promise<Found[]> {
  const frame = { data: req.data, width: req.width, height: req.height };
  const found: Found[] = [];
  const { detector } = req;
  if (req.wholeFrame) {
    const whole = { x: 0, y: 0, width: req.width, height: req.height };
    found.push(
      ...(detector.kind === 'ssd'
        ? await detectWithSsd(frame, detector.minScore)
        : await detectWithTiny(frame, whole, detector.inputSize, detector.minScore)),
    );
  }
  for (const region of req.regions) {
    const tracked = region.faceSize !== undefined;
    const side = tracked ? trackedInputSize(region) : regionInputSize(region, req.gate.minFaceSize);
    const inRegion = await detectWithTiny(frame, region.box, side, detector.minScore);
    found.push(...(tracked ? markTracked(inRegion, region.box, !!region.settled) : inRegion));
  }
  return suppressDuplicates(found);
}

async function detect(req: DetectRequest): Promise<DetectResponse> {
  const t0 = performance.now();
  const given: Found[] = req.describeAt.map((box) => ({ box, score: 1, tracked: true }));
  const located = [...(await locate(req)), ...given];
  const t1 = performance.now();
  const faces: WorkerFace[] = [];
  const toDescribe: WorkerFace[] = [];
  let rejected = 0;
  for (const { box: b, score, settled, tracked } of located) {
    const x = Math.max(0, Math.round(b.x));
    const y = Math.max(0, Math.round(b.y));
    const box = {
      x,
      y,
      width: Math.min(req.width, Math.round(b.x + b.width)) - x,
      height: Math.min(req.height, Math.round(b.y + b.height)) - y,
    };
    if (Math.min(box.width, box.height) < req.gate.minFaceSize) {
      rejected++;
      continue;
    }
    const sharpness = faceSharpness(req.data, req.width, req.height, box);
    if (sharpness < req.gate.minSharpness) {
      rejected++;
      continue;
    }
    const deferred = !tracked && req.deferAreas.some((area) => centreInside(box, area));
    const face: WorkerFace = { box, score, sharpness, descriptor: null, deferred };
    faces.push(face);
    if (!settled && !deferred) toDescribe.push(face);
  }
  if (toDescribe.length > 0) await describe(req, toDescribe);
  return {
    id: req.id,
    ok: true,
    data: req.data,
    faces,
    rejected,
    detectMs: t1 - t0,
    describeMs: performance.now() - t1,
  };
}

/** face-api's landmark network reads faces at this size. */
const LANDMARK_INPUT = 112;

/**
 * Landmarks, the aligned chip and the 128-d descriptor, only for the faces that need one. The faces
 * of a frame go through each network as one batch: on wasm a batch of four costs ~30 % less per
 * face than four single runs.
 */
async function describe(frame: Pixels, faces: WorkerFace[]): Promise<void> {
  const landmarks = await landmarksOf(
    frame,
    faces.map((face) => face.box),
  );
  const chips = landmarks.map((points) =>
    tf.tensor3d(cutChip(frame, chipTransform(points)), [CHIP_SIZE, CHIP_SIZE, 3], 'float32'),
  );
  try {
    const descriptors = await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(chips);
    const list = Array.isArray(descriptors) ? descriptors : [descriptors];
    // Copies own their buffers outright, so they can be transferred to the main thread.
    faces.forEach((face, i) => (face.descriptor = new Float32Array(list[i]!)));
  } finally {
    for (const chip of chips) chip.dispose();
  }
}

/** The 68 landmarks of the face in each box, frame pixels. */
async function landmarksOf(frame: Pixels, boxes: Box[]): Promise<Point[][]> {
  const inputs = boxes.map((box) => {
    // A square around the box, like face-api's centred padding but with the picture's own pixels.
    const side = Math.max(box.width, box.height);
    const square = {
      x: box.x + (box.width - side) / 2,
      y: box.y + (box.height - side) / 2,
      width: side,
      height: side,
    };
    return squareInput(frame, square, LANDMARK_INPUT);
  });
  const tensors = inputs.map((input) =>
    tf.tensor3d(input.data, [input.height, input.width, 3], 'float32'),
  );
  try {
    const found = await faceapi.nets.faceLandmark68Net.detectLandmarks(tensors);
    const list = Array.isArray(found) ? found : [found];
    return list.map((landmarks, i) =>
      landmarks.positions.map(({ x, y }) => ({
        x: inputs[i]!.x + x / inputs[i]!.scale,
        y: inputs[i]!.y + y / inputs[i]!.scale,
      })),
    );
  } finally {
    for (const tensor of tensors) tensor.dispose();
  }
}

function reply(message: WorkerResponse, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

start().then(
  () => {
    reply({ id: -1, ok: true, ready: true });
    port.on('message', (req: DetectRequest) => {
      detect(req).then(
        (res) =>
          reply(res, [
            res.data.buffer as ArrayBuffer,
            ...res.faces.flatMap((f) => (f.descriptor ? [f.descriptor.buffer as ArrayBuffer] : [])),
          ]),
        (error: unknown) =>
          reply({
            id: req.id,
            ok: false,
            message: error instanceof Error ? error.message : String(error),
          }),
      );
    });
  },
  (error: unknown) => {
    throw error;
  },
);
