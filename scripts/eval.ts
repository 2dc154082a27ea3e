/*
 * npm run eval -- --dataset <dir> [--preset balanced] [--threshold 0.5] [--people amy,raj]
 * Accuracy of the whole pipeline (ffmpeg decoding → analyseFrames) at a preset's settings.
 * - faces-8-identities: enrols photos 1–2 of each person, composes a search video with ffmpeg in
 *   which photos 3–5 of the person cross a scene at several face sizes (down to 40 px) beside other
 *   people's photos as distractors, and scores the appearances found against the known schedule.
 * - real-video/asl-signers: enrols each signer from a frame of one clip and searches every clip; the
 *   other four signers are the negatives.
 * Prints recall and precision of appearances and the timing error of their start and end.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { createMediaAdapter } from '../src/media/media.adapter.js';
import { resolveMediaBinaries } from '../src/media/media.binaries.js';
import { runFfmpeg } from '../src/media/video.transcode.js';
import { analyseFrames, emptyStats } from '../src/recognition/analysis.js';
import {
  createFaceEngine,
  referenceFace,
  surroundTightCrop,
} from '../src/recognition/face-engine.js';
import { centreInside } from '../src/recognition/geometry.js';
import { resolveSettings } from '../src/recognition/presets.js';
import type {
  AnalysisSettings,
  Appearance,
  Box,
  EnrolResult,
  FaceEngine,
  Preset,
  ReferenceFace,
  RgbFrame,
} from '../src/recognition/recognition.types.js';
import { aslSigners, framePng } from './asl-signers.js';

const { values } = parseArgs({
  options: {
    dataset: { type: 'string' },
    preset: { type: 'string', default: 'balanced' },
    threshold: { type: 'string' },
    people: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});
if (!values.dataset) {
  console.error('usage: npm run eval -- --dataset <faces-8-identities | real-video/asl-signers>');
  process.exit(2);
}
const dataset = path.resolve(values.dataset);
const settings = resolveSettings(values.preset as Preset, {
  threshold: values.threshold === undefined ? undefined : Number(values.threshold),
});
const binaries = resolveMediaBinaries({});
const media = createMediaAdapter(binaries);
const engine = createFaceEngine();

interface Tally {
  truths: number;
  found: number;
  appearances: number;
  correct: number;
  startErrors: number[];
  endErrors: number[];
}
const tally: Tally = {
  truths: 0,
  found: 0,
  appearances: 0,
  correct: 0,
  startErrors: [],
  endErrors: [],
};
const started = performance.now();
let framesAnalysed = 0;
let videoMs = 0;

async function analyse(
  frames: AsyncIterable<RgbFrame>,
  references: ReferenceFace[],
  runSettings: AnalysisSettings,
  analysisEngine: FaceEngine,
): Promise<Appearance[]> {
  const found: Appearance[] = [];
  const stats = emptyStats();
  for await (const event of analyseFrames({
    frames,
    references,
    settings: runSettings,
    engine: analysisEngine,
    stats,
  })) {
    if (event.type === 'match' && event.final) found.push(event.appearance);
  }
  framesAnalysed += stats.framesAnalysed;
  return found;
}

// ---------------------------------------------------------------------------------- faces-8 -----

const WIDTH = 1280;
const HEIGHT = 720;
const SIZES = [120, 64, 40];
const SEGMENT_MS = 2000;
const SHOWN_MS = 1600;
const DRIFT_PX = 60;

interface Segment {
  fromMs: number;
  toMs: number;
  target: { file: string; size: number; x0: number; y: number };
  distractor: { file: string; size: number; x0: number; y: number };
}

/** Where a face sprite is at `timeMs`: it drifts right by DRIFT_PX over the segment. */
function spriteBox(sprite: Segment['target'], segment: Segment, timeMs: number): Box {
  const f = Math.min(1, Math.max(0, (timeMs - segment.fromMs) / (segment.toMs - segment.fromMs)));
  return { x: sprite.x0 + f * DRIFT_PX, y: sprite.y, width: sprite.size, height: sprite.size };
}

/** Of a sprite's side, the margin on each side that surrounds the face crop. */
const SPRITE_MARGIN = 0.3;

/**
 * The dataset's crops are tight (the face touches the edges). In a real frame a face has hair,
 * ears and background around it, so the crop is surrounded as enrolment surrounds a tight crop:
 * its border carried outward and blurred. The face itself is `faceSize` pixels.
 */
async function paddedSprite(file: string, faceSize: number, out: string): Promise<void> {
  const margin = Math.round(faceSize * SPRITE_MARGIN);
  const face = await sharp(file)
    .resize(faceSize, faceSize)
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  await (await surroundTightCrop(face.data, face.info, margin, margin)).png().toFile(out);
}

async function composeVideo(dir: string, segments: Segment[], out: string): Promise<void> {
  const background = path.join(dir, 'background.png');
  // A textured backdrop (seeded noise, blurred) so faces do not sit on a flat colour.
  const noise = Buffer.alloc(WIDTH * HEIGHT * 3);
  let seed = 12345;
  for (let i = 0; i < noise.length; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    noise[i] = 60 + (seed % 120);
  }
  await sharp(noise, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
    .blur(6)
    .png()
    .toFile(background);
  const inputs = [
    '-loop',
    '1',
    '-framerate',
    '25',
    '-t',
    String((segments.length * SEGMENT_MS) / 1000),
    '-i',
    background,
  ];
  const chain: string[] = [];
  let last = '0:v';
  let index = 1;
  for (const segment of segments) {
    for (const sprite of [segment.target, segment.distractor]) {
      const png = path.join(dir, `sprite-${index}.png`);
      await paddedSprite(sprite.file, sprite.size, png);
      inputs.push('-loop', '1', '-framerate', '25', '-i', png);
      const from = segment.fromMs / 1000;
      const to = (segment.fromMs + SHOWN_MS) / 1000;
      const margin = Math.round(sprite.size * SPRITE_MARGIN);
      const x = `${sprite.x0 - margin}+(t-${from})*${(DRIFT_PX * 1000) / SHOWN_MS}`;
      chain.push(
        `[${last}][${index}:v]overlay=x='${x}':y=${sprite.y - margin}:enable='between(t,${from},${to})':shortest=1[v${index}]`,
      );
      last = `v${index}`;
      index++;
    }
  }
  await runFfmpeg(binaries, [
    ...inputs,
    '-filter_complex',
    chain.join(';'),
    '-map',
    `[${last}]`,
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-pix_fmt',
    'yuv420p',
    '-r',
    '25',
    out,
  ]);
}

async function evalFaces8(): Promise<void> {
  const people = readdirSync(dataset, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'group')
    .map((entry) => entry.name)
    .filter((name) => !values.people || values.people.split(',').includes(name))
    .sort();
  const all = readdirSync(dataset, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'group')
    .map((entry) => entry.name)
    .sort();
  const photo = (person: string, n: number) => path.join(dataset, person, `${person}${n}.png`);
  const work = await mkdtemp(path.join(os.tmpdir(), 'mpf-eval-'));
  try {
    for (const person of people) {
      // Distractors follow the person's place among all eight, so --people reruns the same video.
      const p = all.indexOf(person);
      const references: ReferenceFace[] = [];
      for (const n of [1, 2]) {
        const result = await engine.enrolPhoto(readFileSync(photo(person, n)));
        if (result.ok) references.push(referenceFace(result));
        else console.log(`  ${person}${n}: not enrolled (${result.code})`);
      }
      const others = all.filter((name) => name !== person);
      const segments: Segment[] = [];
      let k = 0;
      for (const n of [3, 4, 5]) {
        for (const size of SIZES) {
          const other = others[(p + k) % others.length]!;
          const left = k % 2 === 0;
          segments.push({
            fromMs: k * SEGMENT_MS,
            toMs: k * SEGMENT_MS + SHOWN_MS,
            target: { file: photo(person, n), size, x0: left ? 150 : 750, y: 200 + (k % 3) * 60 },
            distractor: {
              file: photo(other, 1 + ((p + k) % 5)),
              size: SIZES[(k + 1) % SIZES.length]!,
              x0: left ? 750 : 150,
              y: 260,
            },
          });
          k++;
        }
      }
      const dir = path.join(work, person);
      await mkdir(dir);
      const video = path.join(dir, 'search.mp4');
      await composeVideo(dir, segments, video);
      const found = await analyse(
        media.decodeFrames(video, { sampledFps: settings.sampledFps, maxSide: settings.maxSide }),
        references,
        settings,
        engine,
      );
      videoMs += segments.length * SEGMENT_MS;
      const covered = new Set<Segment>();
      let correct = 0;
      for (const appearance of found) {
        const segment = segments.find(
          (s) =>
            appearance.best.timeMs >= s.fromMs - 100 &&
            appearance.best.timeMs <= s.toMs + 100 &&
            centreInside(
              appearance.best.box,
              spriteBox(s.target, s, appearance.best.timeMs),
              s.target.size / 2,
            ),
        );
        if (values.verbose) {
          console.log(
            `  appearance ${appearance.startMs}–${appearance.endMs} ms, score ${appearance.bestScore.toFixed(2)}: ` +
              (segment
                ? `${path.basename(segment.target.file)}@${segment.target.size}px shown ${segment.fromMs}–${segment.toMs} ms`
                : 'no such passage'),
          );
        }
        if (!segment) continue;
        correct++;
        if (!covered.has(segment)) {
          covered.add(segment);
          tally.startErrors.push(Math.abs(appearance.startMs - segment.fromMs));
          tally.endErrors.push(Math.abs(appearance.endMs - segment.toMs));
        }
      }
      const missed = segments
        .filter((s) => !covered.has(s))
        .map((s) => `${path.basename(s.target.file)}@${s.target.size}px`);
      console.log(
        `${person}: ${covered.size}/${segments.length} passages found, ${found.length - correct} false appearance(s)` +
          (missed.length ? `; missed ${missed.join(', ')}` : ''),
      );
      tally.truths += segments.length;
      tally.found += covered.size;
      tally.appearances += found.length;
      tally.correct += correct;
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------ asl-signers -----

async function collect(frames: AsyncIterable<RgbFrame>): Promise<RgbFrame[]> {
  const list: RgbFrame[] = [];
  for await (const frame of frames) list.push(frame);
  return list;
}

async function* replay(frames: RgbFrame[]): AsyncGenerator<RgbFrame> {
  for (const frame of frames) {
    await Promise.resolve();
    yield { ...frame, data: frame.data.slice() };
  }
}

/**
 * The reference a user would pick from a clip: of its frames at 2 fps, the one whose face is the
 * clearest (a signer's hand often covers the mouth, which no one would upload as a photo).
 */
async function enrolClearest(
  frames: RgbFrame[],
): Promise<Extract<EnrolResult, { ok: true }> | null> {
  let best: Extract<EnrolResult, { ok: true }> | null = null;
  for (const frame of frames) {
    const enrolled = await engine.enrolPhoto(await framePng(frame));
    if (enrolled.ok && (!best || enrolled.quality > best.quality)) best = enrolled;
  }
  return best;
}

async function evalAsl(): Promise<void> {
  const table = aslSigners(dataset);
  const clips = readdirSync(dataset)
    .filter((file) => file.endsWith('.mkv'))
    .sort();
  const decoded = new Map<string, RgbFrame[]>();
  for (const clip of clips) {
    decoded.set(
      clip,
      await collect(
        media.decodeFrames(path.join(dataset, clip), {
          sampledFps: settings.sampledFps,
          maxSide: settings.maxSide,
        }),
      ),
    );
  }
  for (const [person, own] of table) {
    const enrolClip = own.find((clip) => clip !== 'bird' && clip !== 'please') ?? own[0]!;
    const frames = await collect(
      media.decodeFrames(path.join(dataset, `${enrolClip}.mkv`), { sampledFps: 2, maxSide: 1280 }),
    );
    const enrolled = await enrolClearest(frames);
    if (!enrolled) {
      console.log(`${person}: could not enrol from ${enrolClip}`);
      continue;
    }
    let found = 0;
    let truths = 0;
    let wrong = 0;
    const misses: string[] = [];
    for (const clip of clips) {
      const name = clip.replace(/\.mkv$/, '');
      if (name === enrolClip) continue;
      const clipFrames = decoded.get(clip)!;
      const appearances = await analyse(
        replay(clipFrames),
        [referenceFace(enrolled)],
        settings,
        engine,
      );
      videoMs += clipFrames.at(-1)!.timeMs + 1000 / settings.sampledFps;
      tally.appearances += appearances.length;
      if (values.verbose && appearances.length > 0) {
        const scores = appearances.map((appearance) => appearance.bestScore.toFixed(2)).join(' ');
        console.log(`  ${name} (${own.includes(name) ? person : 'someone else'}): ${scores}`);
      }
      if (own.includes(name)) {
        truths++;
        tally.correct += appearances.length;
        if (appearances.length > 0) {
          found++;
          tally.startErrors.push(Math.abs(appearances[0]!.startMs - clipFrames[0]!.timeMs));
          tally.endErrors.push(Math.abs(clipFrames.at(-1)!.timeMs - appearances.at(-1)!.endMs));
        } else misses.push(name);
      } else wrong += appearances.length;
    }
    tally.truths += truths;
    tally.found += found;
    console.log(
      `${person} (enrolled from ${enrolClip}): ${found}/${truths} clips found, ${wrong} false appearance(s)` +
        (misses.length ? `; missed ${misses.join(', ')}` : ''),
    );
  }
}

// ------------------------------------------------------------------------------------------------

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const isAsl = readdirSync(dataset).some((file) => file.endsWith('.mkv'));
console.log(
  `dataset ${dataset} (${isAsl ? 'asl-signers' : 'faces-8-identities'}), preset ${settings.preset}: ` +
    `${settings.sampledFps} fps, ${settings.detector}, threshold ${settings.threshold}`,
);
try {
  await (isAsl ? evalAsl() : evalFaces8());
} finally {
  await engine.close();
}
const wallS = (performance.now() - started) / 1000;
console.log(
  `recall ${(tally.found / Math.max(1, tally.truths)).toFixed(3)} (${tally.found}/${tally.truths} passages), ` +
    `precision ${(tally.correct / Math.max(1, tally.appearances)).toFixed(3)} (${tally.correct}/${tally.appearances} appearances)`,
);
console.log(
  `timing error: start ${Math.round(mean(tally.startErrors))} ms, end ${Math.round(mean(tally.endErrors))} ms on average ` +
    `(one sampled frame = ${Math.round(1000 / settings.sampledFps)} ms)`,
);
console.log(
  `${framesAnalysed} frames of ${(videoMs / 1000).toFixed(0)} s of video in ${wallS.toFixed(0)} s`,
);
