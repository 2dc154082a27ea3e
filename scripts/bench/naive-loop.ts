/*
 * The baseline the engine is measured against: what a first implementation does. Every sampled
 * frame goes through SSD detectAllFaces → landmarks → a descriptor for every face → FaceMatcher,
 * on one thread (tfjs wasm backend, no worker pool, no tracking, no frame skipping).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as FaceApi from '@vladmandic/face-api';
import type { FrameSource } from '../../src/media/media.types.js';
import type { MatchedFace, ReferenceFace } from '../../src/recognition/recognition.types.js';
import { distanceForSimilarity, distanceToSimilarity } from '../../src/recognition/similarity.js';

const require = createRequire(import.meta.url);

export interface NaiveResult {
  framesAnalysed: number;
  facesDescribed: number;
  lastFrameMs: number;
  matches: MatchedFace[];
  wallMs: number;
  /** Time inside face-api (detect + landmarks + descriptors + matching). */
  modelMs: number;
}

export async function runNaiveLoop(options: {
  frames: FrameSource;
  references: ReferenceFace[];
  threshold: number;
  untilMs: number;
}): Promise<NaiveResult> {
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as typeof FaceApi;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as {
    setWasmPaths: (prefix: string) => void;
  };
  const tf = faceapi.tf as typeof faceapi.tf & {
    setBackend: (name: string) => Promise<boolean>;
    ready: () => Promise<void>;
  };
  wasm.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
  await tf.setBackend('wasm');
  await tf.ready();
  const modelDir = path.join(
    path.dirname(require.resolve('@vladmandic/face-api/package.json')),
    'model',
  );
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir);
  await faceapi.nets.faceRecognitionNet.loadFromDisk(modelDir);

  // FaceMatcher has one distance for all references: the strictest of theirs, the same decision.
  const faceSize = Math.min(...options.references.map((reference) => reference.faceSize));
  const matcher = new faceapi.FaceMatcher(
    [
      new faceapi.LabeledFaceDescriptors(
        'person',
        options.references.map((reference) => reference.descriptor),
      ),
    ],
    distanceForSimilarity(options.threshold, faceSize),
  );
  const result: NaiveResult = {
    framesAnalysed: 0,
    facesDescribed: 0,
    lastFrameMs: 0,
    matches: [],
    wallMs: 0,
    modelMs: 0,
  };
  const started = performance.now();
  for await (const frame of options.frames) {
    if (frame.timeMs >= options.untilMs) break;
    const modelStarted = performance.now();
    const image = tf.tensor3d(frame.data, [frame.height, frame.width, 3], 'int32');
    const faces = await faceapi
      .detectAllFaces(image, new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 }))
      .withFaceLandmarks()
      .withFaceDescriptors();
    image.dispose();
    const scale = frame.sourceWidth / frame.width;
    for (const face of faces) {
      const best = matcher.findBestMatch(face.descriptor);
      if (best.label !== 'person') continue;
      const box = face.detection.box;
      result.matches.push({
        timeMs: frame.timeMs,
        score: distanceToSimilarity(best.distance, faceSize),
        box: {
          x: box.x * scale,
          y: box.y * scale,
          width: box.width * scale,
          height: box.height * scale,
        },
      });
    }
    result.modelMs += performance.now() - modelStarted;
    result.facesDescribed += faces.length;
    result.framesAnalysed++;
    result.lastFrameMs = frame.timeMs;
  }
  result.wallMs = performance.now() - started;
  return result;
}
