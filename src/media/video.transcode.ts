import { rm } from 'node:fs/promises';
import { AppError } from '../shared/app-error.js';
import { scaledSize } from './frame.decoder.js';
import { inputUrl, untrustedFfmpegInput, type MediaBinaries } from './media.binaries.js';
import {
  fileWorkLimits,
  lastErrorLine,
  mediaFailure,
  runMediaProcess,
  startMediaProcess,
  type RunResult,
  wholeFileTimeoutMs,
} from './media.process.js';
import type { ClipOptions, ClipRange, PosterOptions, RenditionOptions } from './media.types.js';
import { probeVideo } from './video.probe.js';

const QUIET = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'level+error'];
/** H.264 High/yuv420p + AAC in an MP4 with the index up front: what every browser streams. */
const BROWSER_MP4 = [
  '-c:v',
  'libx264',
  '-preset',
  'veryfast',
  '-crf',
  '23',
  '-pix_fmt',
  'yuv420p',
  '-c:a',
  'aac',
  '-b:a',
  '128k',
  '-movflags',
  '+faststart',
  '-f',
  'mp4',
];

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** A JPEG of the frame at `atMs` (the first frame when the video is shorter). */
export async function extractPoster(
  binaries: MediaBinaries,
  path: string,
  options: PosterOptions,
): Promise<Buffer> {
  const info = options.info ?? (await probeVideo(binaries, path, { signal: options.signal }));
  const size = scaledSize(info.width, info.height, options.maxSide ?? 640);
  const grab = async (atMs: number) => {
    const result = await runMediaProcess(
      binaries.ffmpegPath,
      [
        ...QUIET,
        ...(atMs > 0 ? ['-ss', seconds(atMs)] : []),
        ...untrustedFfmpegInput(path, binaries.limits),
        '-map',
        '0:v:0',
        '-frames:v',
        '1',
        '-vf',
        `scale=${size.width}:${size.height},format=yuvj420p`,
        '-c:v',
        'mjpeg',
        '-q:v',
        '3',
        '-f',
        'image2pipe',
        'pipe:1',
      ],
      {
        signal: options.signal,
        limits: fileWorkLimits(binaries.limits, binaries.limits.probeTimeoutMs),
      },
    );
    if (result.status.code !== 0 || result.status.exceeded) {
      throw failure('extract a poster from', result);
    }
    return result.stdout;
  };
  const atMs = Math.max(0, Math.min(options.atMs, info.durationMs));
  const jpeg = await grab(atMs);
  if (jpeg.length > 0 || atMs === 0) return nonEmpty(jpeg);
  return nonEmpty(await grab(0));
}

function nonEmpty(jpeg: Buffer): Buffer {
  if (jpeg.length === 0) {
    throw new AppError('UNSUPPORTED_VIDEO', 'The video has no frame to make a poster from');
  }
  return jpeg;
}

/**
 * Cuts `[startMs - padMs, endMs + padMs]` (clamped to the video) into a browser-playable MP4 at
 * `outPath`, re-encoded so it starts exactly there. Returns the range actually cut.
 */
export async function cutClip(
  binaries: MediaBinaries,
  path: string,
  range: ClipRange,
  outPath: string,
  options: ClipOptions = {},
): Promise<{ startMs: number; endMs: number }> {
  const info = options.info ?? (await probeVideo(binaries, path, { signal: options.signal }));
  const pad = range.padMs ?? 2000;
  const startMs = Math.max(0, Math.round(range.startMs - pad));
  const endMs = Math.min(info.durationMs, Math.round(Math.max(range.endMs, range.startMs) + pad));
  if (endMs <= startMs) {
    throw new AppError('INVALID_STATE', 'The clip range lies outside the video', {
      ...range,
      durationMs: info.durationMs,
    });
  }
  const size = scaledSize(info.width, info.height, options.maxSide ?? 1280);
  await encodeToFile(
    binaries,
    [
      ...(startMs > 0 ? ['-ss', seconds(startMs)] : []),
      ...untrustedFfmpegInput(path, binaries.limits),
      '-t',
      seconds(endMs - startMs),
      ...browserMp4At(size),
    ],
    outPath,
    { signal: options.signal, what: 'cut a clip from', durationMs: endMs - startMs },
  );
  return { startMs, endMs };
}

/** The first video and audio streams, scaled to `size`, as an MP4 every browser plays. */
const browserMp4At = (size: { width: number; height: number }) => [
  ...['-map', '0:v:0', '-map', '0:a:0?'],
  ...['-vf', `scale=${size.width}:${size.height}`],
  ...BROWSER_MP4,
];

/**
 * Re-encodes footage browsers cannot play (AVI, MKV, HEVC, MPEG-4 Part 2…) to H.264/AAC MP4 at
 * its own size, reporting progress in [0, 1] as ffmpeg advances.
 */
export async function makeBrowserRendition(
  binaries: MediaBinaries,
  path: string,
  outPath: string,
  options: RenditionOptions = {},
): Promise<void> {
  const info = options.info ?? (await probeVideo(binaries, path, { signal: options.signal }));
  const size = scaledSize(
    info.width,
    info.height,
    options.maxSide ?? Math.max(info.width, info.height),
  );
  let reported = 0;
  const report = (fraction: number) => {
    const clamped = Math.min(1, Math.max(reported, fraction));
    if (clamped > reported || (clamped === 1 && reported < 1)) {
      reported = clamped;
      options.onProgress?.(clamped);
    }
  };
  await encodeToFile(
    binaries,
    [...untrustedFfmpegInput(path, binaries.limits), ...browserMp4At(size), '-progress', 'pipe:1'],
    outPath,
    {
      signal: options.signal,
      what: 'make a browser rendition of',
      durationMs: info.durationMs,
      onStdoutLine(line) {
        // ffmpeg names microseconds `out_time_ms` (older) or `out_time_us` (newer).
        const time = /^out_time_(?:ms|us)=(\d+)/.exec(line);
        if (time) report(Number(time[1]) / 1000 / info.durationMs);
        else if (line === 'progress=end') report(1);
      },
    },
  );
  report(1);
}

/**
 * Decodes every frame of the video and discards it: the cost any analysis of the file pays at
 * least, which the benchmark compares against.
 */
export async function decodeToNull(
  binaries: MediaBinaries,
  path: string,
  options: { signal?: AbortSignal } = {},
): Promise<void> {
  const info = await probeVideo(binaries, path, options);
  const result = await runMediaProcess(
    binaries.ffmpegPath,
    [...QUIET, ...untrustedFfmpegInput(path, binaries.limits), '-map', '0:v:0', '-f', 'null', '-'],
    {
      signal: options.signal,
      limits: fileWorkLimits(binaries.limits, wholeFileTimeoutMs(binaries.limits, info.durationMs)),
    },
  );
  if (result.status.code !== 0 || result.status.exceeded) throw failure('decode', result);
}

/** Runs ffmpeg with `args` and no input checks: for composing test and benchmark footage. */
export async function runFfmpeg(
  binaries: MediaBinaries,
  args: string[],
  options: { signal?: AbortSignal } = {},
): Promise<void> {
  const result = await runMediaProcess(binaries.ffmpegPath, [...QUIET, '-y', ...args], options);
  if (result.status.code !== 0) {
    throw new Error(`ffmpeg failed: ${lastErrorLine(result.errorLines)}`);
  }
}

async function encodeToFile(
  binaries: MediaBinaries,
  args: string[],
  outPath: string,
  options: {
    signal?: AbortSignal;
    what: string;
    /** Footage being encoded, for the time limits. */
    durationMs: number;
    onStdoutLine?: (line: string) => void;
  },
): Promise<void> {
  options.signal?.throwIfAborted();
  const { limits } = binaries;
  const proc = startMediaProcess(
    binaries.ffmpegPath,
    [...QUIET, '-y', ...args, '-threads', String(limits.threads), inputUrl(outPath)],
    {
      signal: options.signal,
      limits: fileWorkLimits(limits, wholeFileTimeoutMs(limits, options.durationMs)),
    },
  );
  let partial = '';
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (text: string) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) options.onStdoutLine?.(line.trim());
  });
  try {
    const status = await proc.exited;
    options.signal?.throwIfAborted();
    if (status.code !== 0 || status.exceeded) {
      throw failure(options.what, { status, errorLines: proc.errorLines() });
    }
  } catch (error) {
    // A half-written MP4 is worse than none: callers would store a file that does not play.
    await rm(outPath, { force: true });
    throw error;
  } finally {
    await proc.stop();
  }
}

function failure(what: string, result: Pick<RunResult, 'status' | 'errorLines'>): AppError {
  return mediaFailure(result.status, result.errorLines, `ffmpeg could not ${what} the video`);
}
