/*
 * Finds a person in a video from the command line:
 *   npm run analyze -- --photo a.jpg [--photo b.jpg#2] video.mp4 [--preset balanced]
 *                      [--threshold 0.6] [--fps 5] [--json] [--out dir]
 * `photo.jpg#N` picks face N (left to right, from 0) of a photo showing several people.
 * Exit status: 0 done (with or without appearances), 1 the video cannot be analysed,
 * 2 bad arguments or no usable reference photo.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { createMediaAdapter } from '../src/media/media.adapter.js';
import { resolveMediaBinaries } from '../src/media/media.binaries.js';
import type { VideoInfo } from '../src/media/media.types.js';
import { analyseFrames, emptyStats } from '../src/recognition/analysis.js';
import { createFaceEngine, referenceFace } from '../src/recognition/face-engine.js';
import { resolveSettings } from '../src/recognition/presets.js';
import type {
  Appearance,
  FaceEngine,
  Preset,
  RgbFrame,
  ReferenceFace,
} from '../src/recognition/recognition.types.js';
import { isAppError } from '../src/shared/app-error.js';

const PRESETS: Preset[] = ['fast', 'balanced', 'thorough'];

class UsageError extends Error {}

interface PhotoOutcome {
  path: string;
  ok: boolean;
  code?: string;
  message?: string;
}

interface Found {
  appearance: Appearance;
  frame: RgbFrame | null;
}

function readArgs() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        photo: { type: 'string', multiple: true, default: [] },
        preset: { type: 'string', default: 'balanced' },
        threshold: { type: 'string' },
        fps: { type: 'string' },
        json: { type: 'boolean', default: false },
        out: { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function parseCommandLine() {
  const { values, positionals } = readArgs();
  const [video, ...extra] = positionals;
  if (!video || extra.length > 0) throw new UsageError('give exactly one video file');
  if (values.photo.length === 0) throw new UsageError('give at least one --photo');
  if (!PRESETS.includes(values.preset as Preset)) {
    throw new UsageError(`--preset must be one of ${PRESETS.join(', ')}`);
  }
  const number = (name: string, text: string | undefined, max: number) => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!(value > 0 && value <= max)) throw new UsageError(`--${name} must be in (0, ${max}]`);
    return value;
  };
  return {
    video,
    photos: values.photo,
    preset: values.preset as Preset,
    threshold: number('threshold', values.threshold, 1),
    sampledFps: number('fps', values.fps, 60),
    json: values.json,
    out: values.out,
  };
}

async function enrol(engine: FaceEngine, photos: string[]) {
  const outcomes: PhotoOutcome[] = [];
  const references: ReferenceFace[] = [];
  for (const photo of photos) {
    const picked = /^(.*)#(\d+)$/.exec(photo);
    const file = picked && !existsSync(photo) ? picked[1]! : photo;
    const faceIndex = picked && file !== photo ? Number(picked[2]) : undefined;
    const image = await readFile(file).catch(() => null);
    if (!image) {
      outcomes.push({ path: photo, ok: false, code: 'NOT_FOUND', message: 'cannot read the file' });
      continue;
    }
    const result = await engine.enrolPhoto(image, { faceIndex });
    if (result.ok) {
      references.push(referenceFace(result));
      outcomes.push({ path: photo, ok: true });
    } else {
      const faces = (result.faces ?? [])
        .map((b, i) => `#${i} at ${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.width)}px`)
        .join('; ');
      const hint = faces ? ` Faces: ${faces}. Pick one with ${file}#N.` : '';
      outcomes.push({ path: photo, ok: false, code: result.code, message: result.message + hint });
    }
  }
  return { outcomes, references };
}

const clock = (ms: number) => {
  const total = Math.max(0, ms) / 1000;
  const minutes = Math.floor(total / 60);
  const seconds = (total % 60).toFixed(3).padStart(6, '0');
  return minutes >= 60
    ? `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}:${seconds}`
    : `${minutes}:${seconds}`;
};

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows)
    console.log(
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
}

async function main(): Promise<number> {
  const args = parseCommandLine();
  const config = loadConfig();
  const media = createMediaAdapter(resolveMediaBinaries(config));
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  const log = (line: string) => {
    if (!args.json) console.log(line);
  };

  let info: VideoInfo;
  try {
    info = await media.probeVideo(args.video, { signal: abort.signal });
  } catch (error) {
    if (!isAppError(error)) throw error;
    console.error(`${args.video}: ${error.code}: ${error.message}`);
    return 1;
  }

  const engine = createFaceEngine({ workers: config.FACE_WORKERS });
  try {
    const { outcomes, references } = await enrol(engine, args.photos);
    for (const photo of outcomes) {
      if (!photo.ok) console.error(`${photo.path}: ${photo.code}: ${photo.message}`);
    }
    if (references.length === 0) {
      console.error('No usable reference photo: nothing to search for.');
      return 2;
    }
    const settings = resolveSettings(args.preset, {
      threshold: args.threshold,
      sampledFps: args.sampledFps,
    });
    log(`Enrolled ${references.length} of ${outcomes.length} photo(s).`);
    log(
      `Video ${args.video}: ${clock(info.durationMs)}, ${info.width}×${info.height}, ` +
        `${info.fps.toFixed(2)} fps, ${info.codec}`,
    );
    log(
      `Preset ${settings.preset}: ${settings.sampledFps} sampled frames/s, ` +
        `threshold ${settings.threshold.toFixed(2)}`,
    );

    const stats = emptyStats();
    const found = new Map<string, Found>();
    const started = performance.now();
    const events = analyseFrames({
      frames: media.decodeFrames(args.video, {
        sampledFps: settings.sampledFps,
        maxSide: settings.maxSide,
        info,
        signal: abort.signal,
      }),
      references,
      settings,
      engine,
      signal: abort.signal,
      stats,
    });
    for await (const event of events) {
      if (event.type === 'progress') {
        if (process.stderr.isTTY && !args.json) {
          process.stderr.write(`\r  ${clock(event.processedMs)} of ${clock(info.durationMs)}`);
        }
        continue;
      }
      const previous = found.get(event.appearance.trackKey);
      found.set(event.appearance.trackKey, {
        appearance: event.appearance,
        frame: event.bestFrame ?? previous?.frame ?? null,
      });
    }
    if (process.stderr.isTTY && !args.json) process.stderr.write('\r\x1b[K');
    const elapsedMs = performance.now() - started;

    const out = args.out ?? (await mkdtemp(path.join(os.tmpdir(), 'mpf-analyze-')));
    await mkdir(out, { recursive: true });
    const appearances = [...found.values()].sort(
      (a, b) => a.appearance.startMs - b.appearance.startMs,
    );
    const results = [];
    for (const [index, { appearance, frame }] of appearances.entries()) {
      let frameFile: string | null = null;
      let faceFile: string | null = null;
      if (frame) {
        frameFile = path.resolve(out, `appearance-${index + 1}-frame.jpg`);
        faceFile = path.resolve(out, `appearance-${index + 1}-face.jpg`);
        await writeFile(frameFile, await media.annotatedFrameJpeg(frame, appearance.best.box));
        await writeFile(faceFile, await media.faceCropJpeg(frame, appearance.best.box));
      }
      results.push({
        startMs: appearance.startMs,
        endMs: appearance.endMs,
        bestScore: Number(appearance.bestScore.toFixed(4)),
        best: appearance.best,
        detections: appearance.detections.length,
        frameFile,
        faceFile,
      });
    }

    if (args.json) {
      const summary = {
        video: path.resolve(args.video),
        info,
        settings: {
          preset: settings.preset,
          sampledFps: settings.sampledFps,
          threshold: settings.threshold,
        },
        photos: outcomes,
        appearances: results,
        framesAnalysed: stats.framesAnalysed,
        elapsedMs: Math.round(elapsedMs),
      };
      console.log(JSON.stringify(summary, null, 2));
      return 0;
    }
    console.log('');
    if (results.length > 0) {
      printTable([
        ['#', 'start', 'end', 'score', 'frame'],
        ...results.map((r, i) => [
          String(i + 1),
          clock(r.startMs),
          clock(r.endMs),
          r.bestScore.toFixed(2),
          r.frameFile ?? '-',
        ]),
      ]);
      console.log('');
    }
    console.log(
      `${results.length} appearance(s); analysed ${stats.framesAnalysed} frames in ` +
        `${(elapsedMs / 1000).toFixed(1)} s (${(info.durationMs / elapsedMs).toFixed(1)}× realtime).`,
    );
    return 0;
  } catch (error) {
    if (abort.signal.aborted) {
      console.error('Interrupted.');
      return 130;
    }
    if (!isAppError(error)) throw error;
    console.error(`${args.video}: ${error.code}: ${error.message}`);
    return 1;
  } finally {
    await engine.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`analyze: ${error.message}`);
      console.error(
        'usage: npm run analyze -- --photo a.jpg [--photo b.jpg] video.mp4 ' +
          '[--preset fast|balanced|thorough] [--threshold 0.6] [--fps 5] [--json] [--out dir]',
      );
      process.exitCode = 2;
    } else {
      console.error(error);
      process.exitCode = 1;
    }
  },
);
