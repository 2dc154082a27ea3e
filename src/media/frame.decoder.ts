import { AppError } from '../shared/app-error.js';
import type { RgbFrame } from '../recognition/recognition.types.js';
import { inputUrl, untrustedFfmpegInput, type MediaBinaries } from './media.binaries.js';
import {
  fileWorkLimits,
  lastErrorLine,
  mediaFailure,
  startMediaProcess,
  wholeFileTimeoutMs,
  type MediaProcess,
} from './media.process.js';
import type { DecodeOptions, VideoInfo } from './media.types.js';
import { probeVideo } from './video.probe.js';

/** Floating-point slack so a frame exactly on a sampling boundary is not pushed to the next slot. */
const SLOT_EPSILON = 0.001;

/** Largest even size within `maxSide` keeping the aspect ratio; never upscales. */
export function scaledSize(
  width: number,
  height: number,
  maxSide: number,
): { width: number; height: number } {
  const factor = Math.min(1, maxSide / Math.max(width, height));
  const even = (n: number) => Math.max(2, Math.round((n * factor) / 2) * 2);
  return { width: even(width), height: even(height) };
}

/** The start of the sampling slot that holds `startMs`: where decoding seeks to. */
function slotStartMs(startMs: number, sampledFps: number): number {
  return Math.floor((Math.floor((startMs * sampledFps) / 1000 + SLOT_EPSILON) * 1000) / sampledFps);
}

/** ffmpeg's arguments: the first frame of each sampling slot from `seekMs` on, scaled, as RGB24. */
function decoderArgs(
  binaries: MediaBinaries,
  path: string,
  seekMs: number,
  sampledFps: number,
  size: { width: number; height: number },
): string[] {
  const startS = (seekMs / 1000).toFixed(3);
  const slot = (t: string) => `floor((${t}+${startS})*${sampledFps}+${SLOT_EPSILON})`;
  const select = `select='isnan(prev_selected_t)+gt(${slot('t')},${slot('prev_selected_t')})'`;
  return [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-loglevel',
    'level+info',
    ...(seekMs > 0 ? ['-ss', startS] : []),
    ...untrustedFfmpegInput(path, binaries.limits),
    '-map',
    '0:v:0',
    '-an',
    '-sn',
    '-dn',
    '-vf',
    `${select},scale=${size.width}:${size.height}:flags=bilinear,format=rgb24,showinfo`,
    '-vsync',
    'passthrough',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    'pipe:1',
  ];
}

/** Cuts ffmpeg's raw output into whole frames of `frameBytes`, each in a buffer of its own. */
async function* wholeFrames(
  stdout: AsyncIterable<Buffer>,
  frameBytes: number,
): AsyncGenerator<Uint8Array> {
  let frame = new Uint8Array(frameBytes);
  let filled = 0;
  for await (const chunk of stdout) {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(frameBytes - filled, chunk.length - offset);
      frame.set(chunk.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === frameBytes) {
        filled = 0;
        yield frame;
        frame = new Uint8Array(frameBytes);
      }
    }
  }
}

/** Once ffmpeg exits: throws unless it decoded the whole video. */
async function checkDecodedToEnd(
  proc: MediaProcess,
  times: FrameTimes,
  url: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  const status = await proc.exited;
  signal?.throwIfAborted();
  const errors = proc.errorLines();
  if (status.exceeded) {
    throw mediaFailure(status, errors, 'The video could not be decoded to its end');
  }
  if (status.code !== 0 || errors.some((line) => isInputReadFailure(line, url))) {
    throw new AppError('UNSUPPORTED_VIDEO', 'The video could not be decoded to its end', {
      decodedUntilMs: times.last,
      reason: lastErrorLine(errors),
    });
  }
}

/**
 * Streams the frames of a video at `sampledFps` from one ffmpeg child: raw RGB24 on stdout, each
 * frame's true presentation time read from the `showinfo` filter on stderr. Frames are the first
 * frame of each 1/sampledFps slot counted from the start of the video, so a run resumed at
 * `startMs` samples the same frames as an uninterrupted one. Rotation is applied (frames are as
 * players show them). The child is reaped when iteration ends, breaks, fails or `signal` aborts;
 * ffmpeg blocks on the pipe while the consumer is busy, so memory stays at a few frames.
 */
export async function* decodeFrames(
  binaries: MediaBinaries,
  path: string,
  options: DecodeOptions & { info?: VideoInfo },
): AsyncGenerator<RgbFrame> {
  const { signal, sampledFps } = options;
  signal?.throwIfAborted();
  if (!(sampledFps > 0)) throw new RangeError('sampledFps must be positive');
  const info = options.info ?? (await probeVideo(binaries, path, { signal }));
  const size = scaledSize(info.width, info.height, options.maxSide);
  const startMs = Math.max(0, Math.round(options.startMs ?? 0));
  // Seeking to the start of the sampling slot that holds `startMs` and dropping the frames before
  // it yields exactly the frames an uninterrupted run yields from `startMs` on.
  const seekMs = slotStartMs(startMs, sampledFps);

  const times = new FrameTimes(seekMs);
  // The consumer sets the pace (ffmpeg waits on the pipe), so there is no wall-clock limit; the
  // CPU time is bounded as whole-file work on the footage still to decode.
  const { cpuSeconds, addressSpaceBytes } = fileWorkLimits(
    binaries.limits,
    wholeFileTimeoutMs(binaries.limits, info.durationMs - seekMs),
  );
  const proc = startMediaProcess(
    binaries.ffmpegPath,
    decoderArgs(binaries, path, seekMs, sampledFps, size),
    { signal, onStderrLine: (line) => times.read(line), limits: { cpuSeconds, addressSpaceBytes } },
  );
  void proc.exited.then(
    () => times.close(),
    () => times.close(),
  );

  try {
    try {
      const stdout = proc.stdout as AsyncIterable<Buffer>;
      for await (const data of wholeFrames(stdout, size.width * size.height * 3)) {
        const timeMs = await times.next();
        if (timeMs < startMs) continue;
        const { width, height } = size;
        yield { data, width, height, timeMs, sourceWidth: info.width, sourceHeight: info.height };
      }
    } catch (error) {
      // Stopping the child on abort ends the pipe early; the abort is the story, not the pipe.
      signal?.throwIfAborted();
      throw error;
    }
    await checkDecodedToEnd(proc, times, inputUrl(path), signal);
  } finally {
    await proc.stop();
  }
}

/**
 * A read error on the input (truncated or cut-off file) makes ffmpeg stop early yet exit 0;
 * damaged frames in the middle, which it decodes past, are tolerated.
 */
function isInputReadFailure(line: string, url: string): boolean {
  return line.includes('partial file') || line.startsWith(`${url}: `);
}

/** Pairs frames on stdout with the `showinfo` lines on stderr, which may arrive a little later. */
class FrameTimes {
  private readonly queue: number[] = [];
  private waiter: (() => void) | undefined;
  private closed = false;
  private timeBase: number | undefined;
  last: number;

  constructor(private readonly startMs: number) {
    this.last = startMs;
  }

  read(line: string): void {
    if (!line.includes('Parsed_showinfo')) return;
    const base = /config in time_base: (\d+)\/(\d+)/.exec(line);
    if (base) {
      this.timeBase = Number(base[1]) / Number(base[2]);
      return;
    }
    const frame = /\sn:\s*\d+\s+pts:\s*(-?\d+)\s+pts_time:\s*(-?[\d.e+-]+)/.exec(line);
    if (!frame) return;
    const seconds =
      this.timeBase !== undefined ? Number(frame[1]) * this.timeBase : Number(frame[2]);
    this.queue.push(Math.max(0, Math.round(this.startMs + seconds * 1000)));
    this.wake();
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  async next(): Promise<number> {
    while (this.queue.length === 0) {
      if (this.closed) throw new Error('ffmpeg produced a frame without its timestamp');
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
    this.last = this.queue.shift() as number;
    return this.last;
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}
