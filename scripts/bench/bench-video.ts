/*
 * The benchmark's footage: 60 s of 1280×720 25 fps H.264 with ~4 faces on screen at a time, each
 * entering, moving (or standing) and leaving, composed by ffmpeg from face images. The schedule is
 * seeded, so the ground truth (who is where when) is known exactly and the video is reproducible.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { MediaBinaries } from '../../src/media/media.binaries.js';
import { runFfmpeg } from '../../src/media/video.transcode.js';
import type { Box, FaceEngine } from '../../src/recognition/recognition.types.js';

const VERSION = 2;
const WIDTH = 1280;
const HEIGHT = 720;
const FPS = 25;
const DURATION_S = 60;
const LANES = 5;
const DATASET = path.resolve('../shared/datasets/faces-8-identities');
const DEMO = path.resolve('node_modules/@vladmandic/face-api/demo');

/** A reference photo, with the face to take when it shows several people. */
export interface ReferencePhoto {
  path: string;
  faceIndex?: number;
}

/** One face crossing the picture: its sprite's rectangle moves linearly from 0 to 1. */
export interface Visit {
  identity: string;
  isTarget: boolean;
  fromMs: number;
  toMs: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  width: number;
  height: number;
}

export interface GroundTruth {
  version: number;
  video: string;
  durationMs: number;
  target: { name: string; references: ReferencePhoto[]; samePhotoAsVideo: boolean };
  visits: Visit[];
}

interface Sprite {
  identity: string;
  file: string;
}

/** The visit's rectangle at `timeMs`, or null when it is not on screen. */
export function visitBox(visit: Visit, timeMs: number): Box | null {
  if (timeMs < visit.fromMs || timeMs > visit.toMs) return null;
  const f = (timeMs - visit.fromMs) / (visit.toMs - visit.fromMs);
  return {
    x: visit.x0 + (visit.x1 - visit.x0) * f,
    y: visit.y0 + (visit.y1 - visit.y0) * f,
    width: visit.width,
    height: visit.height,
  };
}

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Crops every face of the demo group photos (with the margin a face has in a scene). */
async function demoSprites(engine: FaceEngine, dir: string): Promise<Sprite[]> {
  const sprites: Sprite[] = [];
  for (let n = 1; n <= 6; n++) {
    const file = path.join(DEMO, `sample${n}.jpg`);
    const enrol = await engine.enrolPhoto(await readFile(file));
    const boxes = enrol.ok ? [enrol.box] : (enrol.faces ?? []);
    const meta = await sharp(file).metadata();
    for (const [i, box] of boxes.entries()) {
      const left = Math.max(0, Math.round(box.x - box.width * 0.35));
      const top = Math.max(0, Math.round(box.y - box.height * 0.45));
      const right = Math.min(meta.width, Math.round(box.x + box.width * 1.35));
      const bottom = Math.min(meta.height, Math.round(box.y + box.height * 1.35));
      const out = path.join(dir, `demo-${n}-${i}.png`);
      await sharp(file)
        .extract({ left, top, width: right - left, height: bottom - top })
        .png()
        .toFile(out);
      sprites.push({ identity: `demo${n}#${i}`, file: out });
    }
  }
  return sprites;
}

function datasetSprites(): Map<string, string[]> {
  const people = new Map<string, string[]>();
  for (const name of readdirSync(DATASET).filter((entry) => entry !== 'group')) {
    const folder = path.join(DATASET, name);
    if (!existsSync(path.join(folder, `${name}1.png`))) continue;
    people.set(
      name,
      [1, 2, 3, 4, 5].map((i) => path.join(folder, `${name}${i}.png`)),
    );
  }
  return people;
}

/**
 * Returns the benchmark video and its ground truth, composing them into `dir` unless a previous
 * run already did (the file name carries the schedule version and data source).
 */
export async function benchVideo(
  binaries: MediaBinaries,
  engine: FaceEngine,
  dir: string,
  log: (line: string) => void,
): Promise<GroundTruth> {
  const useDataset = existsSync(DATASET);
  const name = `bench-v${VERSION}-${useDataset ? 'dataset' : 'demo'}`;
  const truthFile = path.join(dir, `${name}.json`);
  if (existsSync(truthFile)) {
    const truth = JSON.parse(await readFile(truthFile, 'utf8')) as GroundTruth;
    if (existsSync(truth.video)) return truth;
  }
  log(`Composing ${DURATION_S} s ${WIDTH}×${HEIGHT} benchmark video (once; kept in ${dir})…`);
  const spriteDir = path.join(dir, 'sprites');
  await mkdir(spriteDir, { recursive: true });

  const distractors = await demoSprites(engine, spriteDir);
  let target: GroundTruth['target'];
  let targetSprites: string[];
  if (useDataset) {
    const people = datasetSprites();
    const targetName = 'sheldon';
    const photos = people.get(targetName)!;
    target = {
      name: targetName,
      references: photos.slice(0, 2).map((p) => ({ path: p })),
      samePhotoAsVideo: false,
    };
    targetSprites = photos.slice(2);
    for (const [person, files] of people) {
      if (person === targetName) continue;
      for (const file of files) distractors.push({ identity: person, file });
    }
  } else {
    // Without the dataset the only known person is a demo face: searched with its own photo.
    const index = distractors.findIndex((s) => s.identity === 'demo2#2');
    const [own] = distractors.splice(index, 1);
    target = {
      name: 'demo2#2',
      references: [{ path: path.join(DEMO, 'sample2.jpg'), faceIndex: 2 }],
      samePhotoAsVideo: true,
    };
    targetSprites = [own!.file];
  }

  const rand = random(20_24);
  const between = (a: number, b: number) => a + (b - a) * rand();
  // Shuffled, so demo faces and dataset people are both on screen throughout.
  for (let i = distractors.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [distractors[i], distractors[j]] = [distractors[j]!, distractors[i]!];
  }
  const laneWidth = WIDTH / LANES;
  const visits: (Visit & { file: string })[] = [];
  let distractorIndex = 0;
  let targetIndex = 0;
  for (let lane = 0; lane < LANES; lane++) {
    let t = between(0, 2.5);
    for (let n = 0; t < DURATION_S - 2; n++) {
      const duration = Math.min(between(4, 9), DURATION_S - t);
      // The person searched for walks through the first lane every other time.
      const isTarget = lane === 0 && n % 2 === 0;
      const sprite = isTarget
        ? { identity: target.name, file: targetSprites[targetIndex++ % targetSprites.length]! }
        : distractors[distractorIndex++ % distractors.length]!;
      const meta = await sharp(sprite.file).metadata();
      const height = Math.round(between(120, 190));
      const width = Math.round((meta.width / meta.height) * height);
      const still = rand() < 0.25;
      const place = () => ({
        x: Math.round(lane * laneWidth + between(0, Math.max(0, laneWidth - width))),
        y: Math.round(between(0, HEIGHT - height)),
      });
      const from = place();
      const to = still ? from : place();
      visits.push({
        identity: sprite.identity,
        isTarget,
        fromMs: Math.round(t * 1000),
        toMs: Math.round((t + duration) * 1000),
        x0: from.x,
        y0: from.y,
        x1: to.x,
        y1: to.y,
        width,
        height,
        file: sprite.file,
      });
      t += duration + between(0.3, 1.5);
    }
  }

  const background = path.join(spriteDir, 'background.png');
  await sharp(Buffer.from(backgroundSvg())).png().toFile(background);
  const inputs = [
    '-loop',
    '1',
    '-framerate',
    String(FPS),
    '-t',
    String(DURATION_S),
    '-i',
    background,
  ];
  const chain: string[] = [];
  for (const [i, visit] of visits.entries()) {
    inputs.push(
      '-loop',
      '1',
      '-framerate',
      String(FPS),
      '-t',
      String(DURATION_S),
      '-i',
      visit.file,
    );
    const t0 = visit.fromMs / 1000;
    const t1 = visit.toMs / 1000;
    const along = `(t-${t0})/${(t1 - t0).toFixed(3)}`;
    chain.push(
      `[${i + 1}:v]scale=${visit.width}:${visit.height},format=yuva420p[s${i}]`,
      `[${i === 0 ? '0:v' : `v${i - 1}`}][s${i}]overlay=` +
        `x='${visit.x0}+${visit.x1 - visit.x0}*${along}':y='${visit.y0}+${visit.y1 - visit.y0}*${along}':` +
        `enable='between(t,${t0},${t1})'[v${i}]`,
    );
  }
  const video = path.join(dir, `${name}.mp4`);
  await runFfmpeg(binaries, [
    ...inputs,
    '-filter_complex',
    chain.join(';'),
    '-map',
    `[v${visits.length - 1}]`,
    '-t',
    String(DURATION_S),
    '-r',
    String(FPS),
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '21',
    '-g',
    '50',
    '-pix_fmt',
    'yuv420p',
    '-movflags',
    '+faststart',
    video,
  ]);
  const truth: GroundTruth = {
    version: VERSION,
    video,
    durationMs: DURATION_S * 1000,
    target,
    visits: visits.map(({ file: _file, ...visit }) => visit),
  };
  await writeFile(truthFile, JSON.stringify(truth, null, 2));
  return truth;
}

/** A plain room: wall, floor and a few pieces of furniture, so frames are not a flat colour. */
function backgroundSvg(): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">
  <defs><linearGradient id="wall" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="#8b9099"/><stop offset="1" stop-color="#6d7178"/></linearGradient></defs>
  <rect width="${WIDTH}" height="${HEIGHT}" fill="url(#wall)"/>
  <rect y="520" width="${WIDTH}" height="200" fill="#5b4a3c"/>
  <rect x="60" y="380" width="260" height="160" fill="#3f4a56"/>
  <rect x="900" y="300" width="300" height="240" fill="#4d5a44"/>
  <rect x="520" y="80" width="220" height="140" fill="#c9c2ae" stroke="#2b2b2b" stroke-width="8"/>
</svg>`;
}
