/*
 * Calibrates distance → similarity on faces-8-identities: describes every photo, collects genuine
 * (same person) and impostor (different people) distances, fits a logistic curve and reports the
 * error rates around the chosen threshold. Usage: npm run calibrate -- [--dataset <dir>]
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createFaceEngine } from '../src/recognition/face-engine.js';
import {
  CALIBRATION,
  DEFAULT_THRESHOLD,
  distanceToSimilarity,
  euclidean,
} from '../src/recognition/similarity.js';

const { values } = parseArgs({
  options: { dataset: { type: 'string', default: '../shared/datasets/faces-8-identities' } },
});
const dataset = path.resolve(values.dataset);
const people = readdirSync(dataset, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'group')
  .map((entry) => entry.name)
  .sort();

const engine = createFaceEngine();
const faces: { person: string; file: string; descriptor: Float32Array }[] = [];
await Promise.all(
  people.flatMap((person) =>
    readdirSync(path.join(dataset, person))
      .sort()
      .map(async (file) => {
        const result = await engine.enrolPhoto(readFileSync(path.join(dataset, person, file)));
        if (result.ok) faces.push({ person, file, descriptor: result.descriptor });
        else console.log(`skipped ${person}/${file}: ${result.code}`);
      }),
  ),
);
await engine.close();

const genuine: number[] = [];
const impostor: number[] = [];
for (let i = 0; i < faces.length; i++) {
  for (let j = i + 1; j < faces.length; j++) {
    const d = euclidean(faces[i]!.descriptor, faces[j]!.descriptor);
    (faces[i]!.person === faces[j]!.person ? genuine : impostor).push(d);
  }
}

function summary(name: string, xs: number[]): void {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(3);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  console.log(
    `${name}: n=${s.length} mean=${mean.toFixed(3)} min=${s[0]!.toFixed(3)} p05=${q(0.05)} p50=${q(0.5)} p95=${q(0.95)} max=${s.at(-1)!.toFixed(3)}`,
  );
}
summary('genuine distance ', genuine);
summary('impostor distance', impostor);

// Class-balanced logistic regression of "same person" on distance, by plain gradient descent.
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
console.log(`fitted logistic: midpoint=${(-a / b).toFixed(3)} slope=${(-b).toFixed(2)}`);
console.log(`in use:          midpoint=${CALIBRATION.midpoint} slope=${CALIBRATION.slope}`);
for (const threshold of [...new Set([0.3, 0.4, 0.5, 0.6, 0.7, 0.8, DEFAULT_THRESHOLD])].sort()) {
  const far = impostor.filter((d) => distanceToSimilarity(d) >= threshold).length / impostor.length;
  const frr = genuine.filter((d) => distanceToSimilarity(d) < threshold).length / genuine.length;
  console.log(
    `threshold ${threshold.toFixed(2)}: impostor pairs accepted ${(far * 100).toFixed(1)}%, genuine pairs rejected ${(frr * 100).toFixed(1)}%`,
  );
}
