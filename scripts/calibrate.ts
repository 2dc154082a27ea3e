/*
 * Calibrates distance → similarity, one logistic curve per band of reference face size
 * (src/recognition/similarity.ts): descriptors of small, low-resolution faces crowd together, so a
 * distance that separates photos of strangers does not separate strangers filmed at 60 px.
 * - large faces: the 40 photos of faces-8-identities (150 px crops), every pair of photos;
 * - small faces: frames of the asl-signers clips (faces 60–75 px), every pair of frames from
 *   different clips.
 * For each band: genuine (same person) and impostor distances, the fitted curve, and the error
 * rates of the curve in use. Usage: npm run calibrate -- [--faces8 <dir>] [--asl <dir>]
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createMediaAdapter } from '../src/media/media.adapter.js';
import { resolveMediaBinaries } from '../src/media/media.binaries.js';
import { createFaceEngine } from '../src/recognition/face-engine.js';
import {
  CALIBRATIONS,
  DEFAULT_THRESHOLD,
  distanceToSimilarity,
  euclidean,
} from '../src/recognition/similarity.js';
import { aslSigners, framePng } from './asl-signers.js';

const { values } = parseArgs({
  options: {
    faces8: { type: 'string', default: '../shared/datasets/faces-8-identities' },
    asl: { type: 'string', default: '../shared/datasets/real-video/asl-signers' },
  },
});

interface Face {
  person: string;
  /** Faces from one source (a clip) are not compared with each other. */
  source: string;
  faceSize: number;
  descriptor: Float32Array;
}

const engine = createFaceEngine();
const media = createMediaAdapter(resolveMediaBinaries({}));

async function enrol(image: Buffer, person: string, source: string): Promise<Face | null> {
  const result = await engine.enrolPhoto(image);
  if (!result.ok) return null;
  return { person, source, faceSize: result.box.width, descriptor: result.descriptor };
}

async function photoFaces(dataset: string): Promise<Face[]> {
  const people = readdirSync(dataset, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'group')
    .map((entry) => entry.name);
  const files = people.flatMap((person) =>
    readdirSync(path.join(dataset, person)).map((file) => ({ person, file })),
  );
  const faces = await Promise.all(
    files.map(({ person, file }) =>
      enrol(readFileSync(path.join(dataset, person, file)), person, file),
    ),
  );
  return faces.filter((face) => face !== null);
}

async function clipFaces(dataset: string): Promise<Face[]> {
  const faces: Face[] = [];
  for (const [person, clips] of aslSigners(dataset)) {
    for (const clip of clips) {
      const frames = media.decodeFrames(path.join(dataset, `${clip}.mkv`), {
        sampledFps: 2,
        maxSide: 1280,
      });
      for await (const frame of frames) {
        const face = await enrol(await framePng(frame), person, clip);
        if (face) faces.push(face);
      }
    }
  }
  return faces;
}

function distances(faces: Face[]): { genuine: number[]; impostor: number[] } {
  const genuine: number[] = [];
  const impostor: number[] = [];
  for (let i = 0; i < faces.length; i++) {
    for (let j = i + 1; j < faces.length; j++) {
      const [a, b] = [faces[i]!, faces[j]!];
      if (a.source === b.source) continue;
      const d = euclidean(a.descriptor, b.descriptor);
      (a.person === b.person ? genuine : impostor).push(d);
    }
  }
  return { genuine, impostor };
}

function summary(name: string, xs: number[]): void {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(3);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  console.log(
    `  ${name}: n=${s.length} mean=${mean.toFixed(3)} min=${s[0]!.toFixed(3)} p05=${q(0.05)} p50=${q(0.5)} p95=${q(0.95)} max=${s.at(-1)!.toFixed(3)}`,
  );
}

/** Class-balanced logistic regression of "same person" on distance, by plain gradient descent. */
function fitLogistic(genuine: number[], impostor: number[]): { midpoint: number; slope: number } {
  let a = 0;
  let b = 0;
  const wg = 0.5 / genuine.length;
  const wi = 0.5 / impostor.length;
  for (let step = 0; step < 20000; step++) {
    let ga = 0;
    let gb = 0;
    for (const [xs, label, w] of [
      [genuine, 1, wg],
      [impostor, 0, wi],
    ] as const) {
      for (const x of xs) {
        const p = 1 / (1 + Math.exp(-(a + b * x)));
        ga += w * (p - label);
        gb += w * (p - label) * x;
      }
    }
    a -= 2 * ga;
    b -= 2 * gb;
  }
  return { midpoint: -a / b, slope: -b };
}

function report(band: 'small' | 'large', faces: Face[]): void {
  const sizes = faces.map((face) => face.faceSize).sort((a, b) => a - b);
  const { genuine, impostor } = distances(faces);
  console.log(
    `${band} faces (${faces.length} faces, ${sizes[0]}–${sizes.at(-1)} px wide; band edge ${CALIBRATIONS[band].faceSize} px):`,
  );
  summary('genuine distance ', genuine);
  summary('impostor distance', impostor);
  const fitted = fitLogistic(genuine, impostor);
  const inUse = CALIBRATIONS[band];
  console.log(
    `  fitted logistic: midpoint=${fitted.midpoint.toFixed(3)} slope=${fitted.slope.toFixed(2)}`,
  );
  console.log(`  in use:          midpoint=${inUse.midpoint} slope=${inUse.slope}`);
  for (const threshold of [...new Set([0.5, 0.7, 0.8, 0.9, DEFAULT_THRESHOLD])].sort()) {
    const accepted = (d: number) => distanceToSimilarity(d, inUse.faceSize) >= threshold;
    const far = impostor.filter(accepted).length / impostor.length;
    const frr = genuine.filter((d) => !accepted(d)).length / genuine.length;
    console.log(
      `  threshold ${threshold.toFixed(2)}: impostor pairs accepted ${(far * 100).toFixed(2)}%, genuine pairs rejected ${(frr * 100).toFixed(1)}%`,
    );
  }
}

try {
  report('large', await photoFaces(path.resolve(values.faces8)));
  report('small', await clipFaces(path.resolve(values.asl)));
} finally {
  await engine.close();
}
