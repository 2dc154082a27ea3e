/*
 * npm run bench [-- --presets fast,balanced,thorough --naive-seconds 20]
 * Measures the analysis pipeline on a generated 60 s 720p video with ~4 faces per frame: per preset
 * the realtime factor, frames/s, ms per stage, peak RSS, recall on the known ground truth, and the
 * ratios to ffmpeg decoding alone and to the naive one-thread face-api loop. Each preset and the
 * naive loop run in their own process, so peak RSS is theirs alone. Results → .bench/results.json.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { createMediaAdapter } from '../src/media/media.adapter.js';
import { resolveMediaBinaries } from '../src/media/media.binaries.js';
import { analyseFrames, emptyStats } from '../src/recognition/analysis.js';
import { createFaceEngine, referenceFace } from '../src/recognition/face-engine.js';
import { resolveSettings } from '../src/recognition/presets.js';
import type {
  AnalysisStats,
  FaceEngine,
  MatchedFace,
  Preset,
  ReferenceFace,
} from '../src/recognition/recognition.types.js';
import { groupMatches, score, type Score } from './bench/bench-score.js';
import { benchVideo, type GroundTruth } from './bench/bench-video.js';
import { runNaiveLoop } from './bench/naive-loop.js';

const BENCH_DIR = path.resolve('.bench');
const config = loadConfig();
const media = createMediaAdapter(resolveMediaBinaries(config));

interface PresetRun {
  kind: 'preset';
  preset: Preset;
  sampledFps: number;
  detector: string;
  wallMs: number;
  decodeAloneMs: number;
  decodeAloneFrames: number;
  decodedUntilMs: number;
  stats: AnalysisStats;
  maxRssMb: number;
  appearances: MatchedFace[][];
}

interface NaiveRun {
  kind: 'naive';
  sampledFps: number;
  untilMs: number;
  wallMs: number;
  modelMs: number;
  framesAnalysed: number;
  facesDescribed: number;
  maxRssMb: number;
  appearances: MatchedFace[][];
}

type ChildTask = { truth: GroundTruth } & (
  { kind: 'preset'; preset: Preset } | { kind: 'naive'; untilMs: number }
);

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function references(engine: FaceEngine, truth: GroundTruth): Promise<ReferenceFace[]> {
  const faces: ReferenceFace[] = [];
  for (const photo of truth.target.references) {
    const result = await engine.enrolPhoto(await readFile(photo.path), {
      faceIndex: photo.faceIndex,
    });
    if (!result.ok) throw new Error(`Cannot enrol ${photo.path}: ${result.code}`);
    faces.push(referenceFace(result));
  }
  return faces;
}

async function runPreset(truth: GroundTruth, preset: Preset): Promise<PresetRun> {
  const settings = resolveSettings(preset);
  const decodeStarted = performance.now();
  let decodeAloneFrames = 0;
  let decodedUntilMs = 0;
  for await (const frame of media.decodeFrames(truth.video, settings)) {
    decodeAloneFrames++;
    decodedUntilMs = frame.timeMs;
  }
  const decodeAloneMs = performance.now() - decodeStarted;

  const engine = createFaceEngine({ workers: config.FACE_WORKERS });
  try {
    const refs = await references(engine, truth);
    const stats = emptyStats();
    const found = new Map<string, MatchedFace[]>();
    const started = performance.now();
    for await (const event of analyseFrames({
      frames: media.decodeFrames(truth.video, settings),
      references: refs,
      settings,
      engine,
      stats,
    })) {
      if (event.type === 'match') found.set(event.appearance.trackKey, event.appearance.detections);
    }
    return {
      kind: 'preset',
      preset,
      sampledFps: settings.sampledFps,
      detector: settings.detector,
      wallMs: performance.now() - started,
      decodeAloneMs,
      decodeAloneFrames,
      decodedUntilMs,
      stats,
      maxRssMb: peakRssMb(),
      appearances: [...found.values()],
    };
  } finally {
    await engine.close();
  }
}

async function runNaive(truth: GroundTruth, untilMs: number): Promise<NaiveRun> {
  const settings = resolveSettings('balanced');
  const engine = createFaceEngine({ workers: 1 });
  const refs = await references(engine, truth).finally(() => engine.close());
  const result = await runNaiveLoop({
    frames: media.decodeFrames(truth.video, { sampledFps: settings.sampledFps, maxSide: 1280 }),
    references: refs,
    threshold: settings.threshold,
    untilMs,
  });
  return {
    kind: 'naive',
    sampledFps: settings.sampledFps,
    untilMs,
    wallMs: result.wallMs,
    modelMs: result.modelMs,
    framesAnalysed: result.framesAnalysed,
    facesDescribed: result.facesDescribed,
    maxRssMb: peakRssMb(),
    appearances: groupMatches(result.matches, settings.sampledFps),
  };
}

/** Runs one measurement in a fresh Node process and returns its JSON result. */
function inChild<T>(task: ChildTask): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', JSON.stringify(task)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) reject(new Error(`benchmark child (${task.kind}) exited with ${code}`));
      else resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as T);
    });
  });
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fixed = (value: number, digits = 1) => value.toFixed(digits);
const percent = (value: number) => `${Math.round(value * 100)}%`;

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padStart(widths[i]!)).join('  '));
}

async function parent(): Promise<void> {
  const { values } = parseArgs({
    options: {
      presets: { type: 'string', default: 'fast,balanced,thorough' },
      'naive-seconds': { type: 'string', default: '20' },
    },
  });
  const presets = values.presets.split(',') as Preset[];
  const loadBefore = os.loadavg()[0]!;
  const naiveMs = Number(values['naive-seconds']) * 1000;
  await mkdir(BENCH_DIR, { recursive: true });

  const composer = createFaceEngine({ workers: 1 });
  const truth = await benchVideo(resolveMediaBinaries(config), composer, BENCH_DIR, (line) =>
    console.log(line),
  ).finally(() => composer.close());
  const info = await media.probeVideo(truth.video);
  const videoS = info.durationMs / 1000;
  const facesPerFrame =
    truth.visits.reduce((sum, v) => sum + (v.toMs - v.fromMs), 0) / info.durationMs;
  console.log(
    `Video ${path.relative(process.cwd(), truth.video)}: ${fixed(videoS)} s ${info.width}×${info.height} ` +
      `${info.fps} fps ${info.codec}, ${fixed(facesPerFrame)} faces per frame on average, ` +
      `${truth.visits.filter((v) => v.isTarget).length} passages of the person (${truth.target.name}).`,
  );
  if (truth.target.samePhotoAsVideo) {
    console.log(
      '  (faces-8-identities absent: the person is searched with the photo shown in the video.)',
    );
  }

  const decodeRuns: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    await media.decodeToNull(truth.video);
    decodeRuns.push(performance.now() - started);
  }
  const ffmpegRealtime = videoS / (median(decodeRuns) / 1000);
  console.log(`ffmpeg decoding alone (-f null, median of 3): ${fixed(ffmpegRealtime)}× realtime.`);

  const runs: PresetRun[] = [];
  for (const preset of presets) {
    console.log(`Running preset ${preset}…`);
    runs.push(await inChild<PresetRun>({ kind: 'preset', preset, truth }));
  }
  console.log(`Running the naive loop on the first ${naiveMs / 1000} s…`);
  const naive = await inChild<NaiveRun>({ kind: 'naive', untilMs: naiveMs, truth });
  const naiveRealtime = naive.untilMs / naive.wallMs;
  const naiveScore = score(truth, naive.appearances, {
    untilMs: naive.untilMs,
    sampledFps: naive.sampledFps,
  });

  const results = runs.map((run) => {
    const frames = Math.max(1, run.stats.framesAnalysed);
    const realtime = info.durationMs / run.wallMs;
    return {
      preset: run.preset,
      detector: run.detector,
      sampledFps: run.sampledFps,
      wallS: run.wallMs / 1000,
      realtime,
      framesPerSecond: run.stats.framesAnalysed / (run.wallMs / 1000),
      framesReused: run.stats.framesReused,
      facesDescribed: run.stats.facesDescribed,
      decodeAlone: { frames: run.decodeAloneFrames, lastFrameMs: run.decodedUntilMs },
      msPerFrame: {
        decodeAlone: run.decodeAloneMs / Math.max(1, run.decodeAloneFrames),
        waitForFrame: run.stats.waitFrameMs / frames,
        detect: run.stats.detectMs / frames,
        describe: run.stats.describeMs / frames,
        match: run.stats.matchMs / frames,
      },
      peakRssMb: run.maxRssMb,
      vsFfmpegDecode: realtime / ffmpegRealtime,
      vsNaive: realtime / naiveRealtime,
      score: score(truth, run.appearances, {
        untilMs: info.durationMs,
        sampledFps: run.sampledFps,
      }),
      scoreFirstWindow: score(truth, run.appearances, {
        untilMs: naive.untilMs,
        sampledFps: run.sampledFps,
      }),
    };
  });

  console.log('');
  const scoreCells = (s: Score) => [
    `${s.passagesFound}/${s.passages}`,
    percent(s.frameRecall),
    String(s.falseAppearances),
  ];
  printTable([
    [
      'loop',
      'fps',
      'realtime',
      'frames/s',
      'decode',
      'wait',
      'detect',
      'describe',
      'match',
      'RSS MB',
      'vs ffmpeg',
      'vs naive',
      'found',
      'frames',
      'false',
      `found<${naiveMs / 1000}s`,
    ],
    ...results.map((r) => [
      r.preset,
      String(r.sampledFps),
      `${fixed(r.realtime)}×`,
      fixed(r.framesPerSecond),
      fixed(r.msPerFrame.decodeAlone),
      fixed(r.msPerFrame.waitForFrame),
      fixed(r.msPerFrame.detect),
      fixed(r.msPerFrame.describe),
      fixed(r.msPerFrame.match),
      String(r.peakRssMb),
      fixed(r.vsFfmpegDecode, 3),
      `${fixed(r.vsNaive)}×`,
      ...scoreCells(r.score),
      `${r.scoreFirstWindow.passagesFound}/${r.scoreFirstWindow.passages}`,
    ]),
    [
      'naive*',
      String(naive.sampledFps),
      `${fixed(naiveRealtime, 2)}×`,
      fixed(naive.framesAnalysed / (naive.wallMs / 1000)),
      '-',
      '-',
      fixed(naive.modelMs / Math.max(1, naive.framesAnalysed)),
      '(in detect)',
      '-',
      String(naive.maxRssMb),
      fixed(naiveRealtime / ffmpegRealtime, 3),
      '1.0×',
      ...scoreCells(naiveScore),
      `${naiveScore.passagesFound}/${naiveScore.passages}`,
    ],
  ]);
  console.log(`
ms columns are per analysed frame: decode = ffmpeg streaming the sampled frames alone; wait = the
pipeline waiting for its next frame; detect/describe = model time summed over worker threads (the
engine skips still frames and describes a tracked face once, so these average over all frames);
match = main-thread similarity + tracking. found = passages of the person with a match on them
(all 60 s), frames = sampled frames showing the person with a match on them, false = reported
appearances that are not the person.
* The naive loop (SSD → landmarks → descriptors for every face → FaceMatcher, one thread, wasm)
  ran on the first ${naiveMs / 1000} s only (${naive.framesAnalysed} frames, ${naive.facesDescribed} faces described); its realtime
  factor is measured there and extrapolated to the whole video, which is fair because the faces per
  frame are the same throughout. The last column scores every loop on that same window.
Machine: ${os.cpus().length} cores, load average ${fixed(loadBefore, 2)} at the start, ${fixed(os.loadavg()[0]!, 2)} at the end
(other work on the machine slows every figure; the ratios are measured under the same conditions).`);

  const report = {
    measuredAt: new Date().toISOString(),
    machine: { cores: os.cpus().length, loadBefore, loadAfter: os.loadavg()[0] },
    video: { path: path.relative(process.cwd(), truth.video), ...info, facesPerFrame },
    ffmpegDecodeRealtime: ffmpegRealtime,
    presets: results,
    naive: {
      sampledFps: naive.sampledFps,
      windowS: naive.untilMs / 1000,
      realtime: naiveRealtime,
      framesAnalysed: naive.framesAnalysed,
      facesDescribed: naive.facesDescribed,
      msPerFrame: naive.modelMs / Math.max(1, naive.framesAnalysed),
      peakRssMb: naive.maxRssMb,
      score: naiveScore,
    },
  };
  await writeFile(path.join(BENCH_DIR, 'results.json'), JSON.stringify(report, null, 2));
  console.log(
    `\nResults written to ${path.relative(process.cwd(), path.join(BENCH_DIR, 'results.json'))}.`,
  );
}

async function child(task: ChildTask): Promise<void> {
  const result =
    task.kind === 'preset'
      ? await runPreset(task.truth, task.preset)
      : await runNaive(task.truth, task.untilMs);
  process.stdout.write(JSON.stringify(result));
}

const childIndex = process.argv.indexOf('--child');
if (childIndex >= 0) {
  await child(JSON.parse(process.argv[childIndex + 1]!) as ChildTask);
} else {
  await parent();
}
