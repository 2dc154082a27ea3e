/*
 * One face-model worker thread: loads face-api on the tfjs wasm backend once, then answers detect
 * requests one at a time. Frames arrive as transferred buffers; nothing here touches disk after start.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type * as FaceApi from '@vladmandic/face-api';
import { faceSharpness } from './face-quality.js';
import type {
  DetectRequest,
  DetectResponse,
  WorkerFace,
  WorkerInit,
  WorkerResponse,
} from './face-worker.protocol.js';
import { centreDistance, iou } from './geometry.js';
import type { Box } from './recognition.types.js';

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

/** Faces this large (input pixels) are found reliably by TinyFaceDetector. */
const COMFORTABLE_FACE = 64;

/**
 * Tiny's input size for a region (a multiple of 32): full resolution when the faces to find may be
 * small, less when the face there is known and large.
 */
function regionInputSize(region: { box: Box; faceSize?: number }): number {
  const side = Math.max(region.box.width, region.box.height);
  const scale = region.faceSize ? Math.min(1, COMFORTABLE_FACE / region.faceSize) : 1;
  return Math.min(512, Math.max(128, Math.ceil((side * scale) / 32) * 32));
}

interface Found {
  box: Box;
  score: number;
}

/** Regions overlap, so one face may be found twice: keep the surest of overlapping boxes. */
function suppressDuplicates(found: Found[]): Found[] {
  const kept: Found[] = [];
  for (const candidate of [...found].sort((a, b) => b.score - a.score)) {
    if (!kept.some((other) => iou(other.box, candidate.box) > 0.4)) kept.push(candidate);
  }
  return kept;
}

/**
 * Side of one tile of the mosaic of tracked faces, input pixels (a tracked face fills ~1/2.4 of its
 * tile). The mosaic is most of the detection time on busy footage, but 96 px tiles (faces ~40 px)
 * gave boxes loose enough to move look-alikes' scores across the threshold in the ASL clips.
 */
const TILE = 160;

/**
 * Tracked faces, each region shrunk to one tile (its face to about 67 px), are laid out as
 * tiles of one mosaic and searched in a single pass: a detector call has a fixed cost (~15 ms on
 * wasm) that would otherwise be paid once per face.
 */
async function locateInMosaic(
  image: FaceApi.tf.Tensor3D,
  regions: { box: Box; faceSize?: number }[],
  minScore: number,
): Promise<Found[]> {
  const grid = Math.ceil(Math.sqrt(regions.length));
  const rows = Math.ceil(regions.length / grid);
  const scales = regions.map((region) => TILE / Math.max(region.box.width, region.box.height));
  const mosaic = tf.tidy(() => {
    const tiles = regions.map((region, index) => {
      const { x, y, width, height } = region.box;
      const scale = scales[index]!;
      const h = Math.max(1, Math.min(TILE, Math.round(height * scale)));
      const w = Math.max(1, Math.min(TILE, Math.round(width * scale)));
      const crop = tf.cast(tf.slice(image, [y, x, 0], [height, width, 3]), 'float32');
      const resized = tf.image.resizeBilinear(crop, [h, w]);
      return tf.pad<FaceApi.tf.Tensor3D>(resized, [
        [0, TILE - h],
        [0, TILE - w],
        [0, 0],
      ]);
    });
    while (tiles.length < rows * grid) tiles.push(tf.zeros<FaceApi.tf.Rank.R3>([TILE, TILE, 3]));
    const lines: FaceApi.tf.Tensor3D[] = [];
    for (let r = 0; r < rows; r++) lines.push(tf.concat(tiles.slice(r * grid, (r + 1) * grid), 1));
    return tf.concat<FaceApi.tf.Tensor3D>(lines, 0);
  });
  try {
    const detections = await faceapi.detectAllFaces(
      mosaic,
      new faceapi.TinyFaceDetectorOptions({
        inputSize: Math.max(rows, grid) * TILE,
        scoreThreshold: minScore,
      }),
    );
    const found: Found[] = [];
    for (const d of detections) {
      const col = Math.floor((d.box.x + d.box.width / 2) / TILE);
      const row = Math.floor((d.box.y + d.box.height / 2) / TILE);
      const index = row * grid + col;
      const region = regions[index];
      if (!region) continue;
      const scale = scales[index]!;
      // Clip to the tile: a box reaching into a neighbouring tile belongs to this one only.
      const x0 = Math.max(d.box.x, col * TILE) - col * TILE;
      const y0 = Math.max(d.box.y, row * TILE) - row * TILE;
      const x1 = Math.min(d.box.x + d.box.width, (col + 1) * TILE) - col * TILE;
      const y1 = Math.min(d.box.y + d.box.height, (row + 1) * TILE) - row * TILE;
      found.push({
        box: {
          x: region.box.x + x0 / scale,
          y: region.box.y + y0 / scale,
          width: (x1 - x0) / scale,
          height: (y1 - y0) / scale,
        },
        score: d.score,
      });
    }
    return found;
  } finally {
    mosaic.dispose();
  }
}

async function locate(image: FaceApi.tf.Tensor3D, req: DetectRequest): Promise<Found[]> {
  const toFound = (detections: FaceApi.FaceDetection[], dx: number, dy: number): Found[] =>
    detections.map((d) => ({
      box: { x: d.box.x + dx, y: d.box.y + dy, width: d.box.width, height: d.box.height },
      score: d.score,
    }));
  const found: Found[] = [];
  if (req.wholeFrame) {
    const options =
      req.detector.kind === 'ssd'
        ? new faceapi.SsdMobilenetv1Options({
            minConfidence: req.detector.minScore,
            maxResults: 100,
          })
        : new faceapi.TinyFaceDetectorOptions({
            inputSize: req.detector.inputSize,
            scoreThreshold: req.detector.minScore,
          });
    found.push(...toFound(await faceapi.detectAllFaces(image, options), 0, 0));
  }
  const known = req.regions.filter((region) => region.faceSize !== undefined);
  if (known.length > 0) found.push(...(await locateInMosaic(image, known, req.detector.minScore)));
  for (const region of req.regions) {
    if (region.faceSize !== undefined) continue;
    const { x, y, width, height } = region.box;
    const slice = tf.slice(image, [y, x, 0], [height, width, 3]);
    try {
      const options = new faceapi.TinyFaceDetectorOptions({
        inputSize: regionInputSize(region),
        scoreThreshold: req.detector.minScore,
      });
      found.push(...toFound(await faceapi.detectAllFaces(slice, options), x, y));
    } finally {
      slice.dispose();
    }
  }
  return suppressDuplicates(found);
}

async function detect(req: DetectRequest): Promise<DetectResponse> {
  const t0 = performance.now();
  const image = tf.tensor3d(req.data, [req.height, req.width, 3], 'int32');
  try {
    const located = await locate(image, req);
    const t1 = performance.now();
    const faces: WorkerFace[] = [];
    const toDescribe: WorkerFace[] = [];
    let rejected = 0;
    for (const { box: b, score } of located) {
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
      const face: WorkerFace = { box, score, sharpness, descriptor: null };
      faces.push(face);
      if (!req.skipDescribe.some((skip) => sameFace(skip, box))) toDescribe.push(face);
    }
    if (toDescribe.length > 0) await describe(image, toDescribe);
    return {
      id: req.id,
      ok: true,
      data: req.data,
      faces,
      rejected,
      detectMs: t1 - t0,
      describeMs: performance.now() - t1,
    };
  } finally {
    image.dispose();
  }
}

/** Landmarks, dlib-style alignment and the 128-d descriptor, only for the faces that need one. */
async function describe(image: FaceApi.tf.Tensor3D, faces: WorkerFace[]): Promise<void> {
  const rects = faces.map(
    (face) => new faceapi.Rect(face.box.x, face.box.y, face.box.width, face.box.height),
  );
  const crops = await faceapi.extractFaceTensors(image, rects);
  try {
    for (const [index, face] of faces.entries()) {
      const landmarks = (await faceapi.nets.faceLandmark68Net.detectLandmarks(
        crops[index]!,
      )) as FaceApi.FaceLandmarks68;
      const aligned = landmarks
        .shiftBy(face.box.x, face.box.y)
        .align(null, { useDlibAlignment: true });
      const [faceTensor] = await faceapi.extractFaceTensors(image, [aligned]);
      try {
        const descriptor = (await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(
          faceTensor!,
        )) as Float32Array;
        // A copy owns its buffer outright, so it can be transferred to the main thread.
        face.descriptor = new Float32Array(descriptor);
      } finally {
        faceTensor?.dispose();
      }
    }
  } finally {
    for (const crop of crops) crop.dispose();
  }
}

/** The skip boxes are a few frames old: a face that moved a little is still the same face. */
function sameFace(skip: Box, box: Box): boolean {
  const ratio = box.width / Math.max(1, skip.width);
  return ratio > 0.75 && ratio < 1.33 && (iou(skip, box) >= 0.4 || centreDistance(skip, box) < 0.6);
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
