import { lastErrorLine, startMediaProcess, type MediaProcess } from '../media/media.process.js';
import type { RgbFrame } from '../recognition/recognition.types.js';
import { isAppError } from '../shared/app-error.js';
import { redactCredentials } from '../shared/redact.js';
import { openLiveInput, type LiveFeedAccess, type LiveInput } from './live-feed.input.js';

/** A live frame also says when it was captured (wall clock, ms since the epoch). */
export interface LiveFrame extends RgbFrame {
  capturedAt: number;
}

export interface LiveFrameOptions {
  sampledFps: number;
  /** Longest side of the frames handed out; smaller streams are not upscaled. */
  maxSide: number;
  /** `timeMs` of a frame is its capture time minus this (e.g. when the search started). */
  epochMs: number;
  signal?: AbortSignal;
  /** A connection that yields no first frame within this long is dropped; default 15 s. */
  connectTimeoutMs?: number;
  /** A stream that yields no frame for this long is dropped (stalled); default 5 s. */
  stallMs?: number;
}

export interface LiveFrameStats {
  /** Frames handed to the consumer. */
  delivered: number;
  /** Frames replaced by a newer one before the consumer asked for them. */
  dropped: number;
  /** now − capture time of the last frame handed out, ms. */
  lagMs: number;
}

/**
 * Why a connection ended without being asked to: the feed dropped, stalled, never started or was
 * refused by the outbound policy. The detail is shown to users and stored: credentials are
 * redacted from it.
 */
export class LiveFeedDropped extends Error {
  readonly detail: string;

  constructor(
    readonly reason: 'ended' | 'stalled' | 'no-frames',
    detail: string,
  ) {
    const redacted = redactCredentials(detail);
    super(`live feed ${reason}: ${redacted}`);
    this.name = 'LiveFeedDropped';
    this.detail = redacted;
  }
}

/** One connection to a feed: iterate for frames (newest first wins), read `stats()` any time. */
export interface LiveConnection extends AsyncIterable<LiveFrame> {
  stats(): LiveFrameStats;
  /** Ends the connection; iteration then finishes without an error. */
  close(): Promise<void>;
}

interface Size {
  width: number;
  height: number;
}

const STREAM_SIZE = /Stream #\d+:\d+.*?: Video: .*?(\d{2,5})x(\d{2,5})/;

/**
 * Reads a live feed with one ffmpeg child: sampled at `sampledFps`, scaled to fit `maxSide`, raw
 * RGB24. stdout is drained continuously whatever the consumer does, and only the newest complete
 * frame is kept: a slow consumer gets the latest picture, never a queue of stale ones, and the
 * frames it skipped are counted. A watchdog drops a connection that delivers nothing for
 * `stallMs` (some servers keep the socket open after the camera dies).
 */
export function openLiveFrames(
  access: LiveFeedAccess,
  url: string,
  options: LiveFrameOptions,
): LiveConnection {
  const stallMs = options.stallMs ?? 5000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 15_000;
  const { maxSide, sampledFps } = options;
  const stats: LiveFrameStats = { delivered: 0, dropped: 0, lagMs: 0 };

  let newest: LiveFrame | undefined;
  let failure: LiveFeedDropped | undefined;
  let finished = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };

  let proc: MediaProcess | undefined;
  let closed = false;
  let watchdog: NodeJS.Timeout | undefined;
  const arm = (ms: number, reason: 'stalled' | 'no-frames') => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => {
      failure ??= new LiveFeedDropped(reason, `no frame for ${ms} ms`);
      void proc?.stop();
    }, ms);
  };

  let sourceSize: Size | undefined;
  let outputSize: Size | undefined;
  let sawOutput = false;
  let sizeKnown: (() => void) | undefined;
  const sizeReady = new Promise<void>((resolve) => (sizeKnown = resolve));
  const readSizes = (line: string) => {
    if (line.includes('Output #0')) sawOutput = true;
    const match = STREAM_SIZE.exec(line);
    if (!match) return;
    const size = { width: Number(match[1]), height: Number(match[2]) };
    if (!sawOutput) sourceSize ??= size;
    else if (!outputSize) {
      outputSize = size;
      sizeKnown?.();
    }
  };

  async function run(): Promise<void> {
    const input = await openLiveInput(access, url, stallMs);
    try {
      await runInput(input);
    } finally {
      await input.close();
    }
    // A refused redirect or a camera that cannot be reached is the real reason, whatever ffmpeg
    // made of the answer the server gave it instead.
    const refused = input.refusal();
    const unreachable = input.networkError();
    if (refused) failure = new LiveFeedDropped('ended', `${refused.code}: ${refused.message}`);
    else if (unreachable && failure?.reason === 'ended') {
      failure = new LiveFeedDropped('ended', unreachable);
    }
  }

  async function runInput({ args: inputArgs, env, limits }: LiveInput): Promise<void> {
    const args = [
      '-hide_banner',
      '-nostdin',
      '-nostats',
      '-loglevel',
      'level+info',
      // Stream analysis is ffmpeg's start-up delay (5 s by default); half a second suffices.
      '-probesize',
      '500000',
      '-analyzeduration',
      '500000',
      '-fflags',
      'nobuffer',
      '-flags',
      'low_delay',
      ...inputArgs,
      '-map',
      '0:v:0',
      '-an',
      '-sn',
      '-dn',
      '-vf',
      `fps=${sampledFps},scale='min(${maxSide},iw)':'min(${maxSide},ih)':force_original_aspect_ratio=decrease:flags=bilinear,format=rgb24`,
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ];
    if (closed) return;
    arm(connectTimeoutMs, 'no-frames');
    proc = startMediaProcess(access.binaries.ffmpegPath, args, {
      signal: options.signal,
      onStderrLine: readSizes,
      env,
      limits,
    });
    const current = proc;
    void current.exited.then(
      () => sizeKnown?.(),
      () => sizeKnown?.(),
    );
    let buffer: Uint8Array | undefined;
    let filled = 0;
    for await (const chunk of current.stdout as AsyncIterable<Buffer>) {
      await sizeReady;
      if (!outputSize) break;
      const frameBytes = outputSize.width * outputSize.height * 3;
      let offset = 0;
      while (offset < chunk.length) {
        buffer ??= new Uint8Array(frameBytes);
        const take = Math.min(frameBytes - filled, chunk.length - offset);
        buffer.set(chunk.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled < frameBytes) continue;
        const capturedAt = Date.now();
        if (newest) stats.dropped += 1;
        newest = {
          data: buffer,
          width: outputSize.width,
          height: outputSize.height,
          sourceWidth: sourceSize?.width ?? outputSize.width,
          sourceHeight: sourceSize?.height ?? outputSize.height,
          timeMs: Math.max(0, capturedAt - options.epochMs),
          capturedAt,
        };
        buffer = undefined;
        filled = 0;
        arm(stallMs, 'stalled');
        notify();
      }
    }
    await current.exited;
    if (!closed && !options.signal?.aborted) {
      failure ??= new LiveFeedDropped('ended', lastErrorLine(current.errorLines()));
    }
  }

  const running = run()
    .catch((error: unknown) => {
      const detail = isAppError(error)
        ? `${error.code}: ${error.message}`
        : error instanceof Error
          ? error.message
          : String(error);
      failure ??= new LiveFeedDropped('ended', detail);
    })
    .finally(() => {
      clearTimeout(watchdog);
      finished = true;
      notify();
    });

  async function close(): Promise<void> {
    closed = true;
    clearTimeout(watchdog);
    await proc?.stop();
    await running;
  }

  return {
    stats: () => ({ ...stats }),
    close,
    async *[Symbol.asyncIterator]() {
      try {
        for (;;) {
          if (newest) {
            const frame = newest;
            newest = undefined;
            stats.delivered += 1;
            stats.lagMs = Date.now() - frame.capturedAt;
            yield frame;
            continue;
          }
          if (finished) break;
          await new Promise<void>((resolve) => (wake = resolve));
        }
        options.signal?.throwIfAborted();
        if (failure && !closed) throw failure;
      } finally {
        await close();
      }
    },
  };
}
