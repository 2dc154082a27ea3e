import type { RgbFrame } from '../recognition/recognition.types.js';
import { isAppError } from '../shared/app-error.js';
import { redactCredentials } from '../shared/redact.js';
import { openLiveInput, type LiveFeedAccess, type LiveInput } from './live.input.js';
import type { HlsRelay } from './live.relay.js';
import { frameSplitter, newestSlot, streamInfoReader } from './live.stream.js';
import { lastErrorLine, startMediaProcess, type MediaProcess } from './media.process.js';

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
  /** Also relay the stream as HLS over the same connection (one camera connection, two outputs). */
  relay?: HlsRelay;
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

/**
 * The ffmpeg command of one connection: sampled at `sampledFps`, scaled to fit `maxSide`, raw
 * RGB24 on stdout, and, with a relay, the same input as HLS for the browser (a second output of
 * the same run, so the camera serves one connection).
 */
function liveArgs(input: LiveInput, options: LiveFrameOptions, relayCodec: string): string[] {
  const { maxSide, sampledFps } = options;
  return [
    ...['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'level+info'],
    // Stream analysis is ffmpeg's start-up delay (5 s by default); half a second suffices.
    ...['-probesize', '500000', '-analyzeduration', '500000'],
    ...['-fflags', 'nobuffer', '-flags', 'low_delay'],
    ...input.args,
    ...['-map', '0:v:0', '-an', '-sn', '-dn', '-vf'],
    `fps=${sampledFps},scale='min(${maxSide},iw)':'min(${maxSide},ih)':force_original_aspect_ratio=decrease:flags=bilinear,format=rgb24`,
    ...['-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    ...(options.relay ? options.relay.outputArgs(relayCodec) : []),
  ];
}

const describeError = (error: unknown): string =>
  isAppError(error)
    ? `${error.code}: ${error.message}`
    : error instanceof Error
      ? error.message
      : String(error);

/** What the runs of one connection share: how it failed, its ffmpeg, its stall watchdog. */
interface ConnectionState {
  failure?: LiveFeedDropped;
  proc?: MediaProcess;
  closed: boolean;
  /** (Re)starts the watchdog: no frame within `ms` drops the connection for `reason`. */
  arm(ms: number, reason: 'stalled' | 'no-frames'): void;
}

/** Runs ffmpeg on the feed until it ends, again when the relay needed other options. */
async function runConnection(
  access: LiveFeedAccess,
  url: string,
  options: LiveFrameOptions,
  state: ConnectionState,
  offer: (frame: LiveFrame) => void,
): Promise<void> {
  for (let again = true; again && !state.closed;) {
    const input = await openLiveInput(access, url, options.stallMs ?? 5000);
    try {
      again = await runFfmpeg(access, input, options, state, offer);
    } finally {
      await input.close();
    }
    // A refused redirect or a camera that cannot be reached is the real reason, whatever ffmpeg
    // made of the answer the server gave it instead.
    const refused = input.refusal();
    const unreachable = input.networkError();
    if (refused) {
      state.failure = new LiveFeedDropped('ended', `${refused.code}: ${refused.message}`);
    } else if (unreachable && state.failure?.reason === 'ended') {
      state.failure = new LiveFeedDropped('ended', unreachable);
    }
  }
}

/** One ffmpeg run; true when it must run again with the relay options of the actual codec. */
async function runFfmpeg(
  access: LiveFeedAccess,
  input: LiveInput,
  options: LiveFrameOptions,
  state: ConnectionState,
  offer: (frame: LiveFrame) => void,
): Promise<boolean> {
  const { relay } = options;
  let wrongCodec = false;
  const info = streamInfoReader((codec) => {
    if (!relay || codec === relay.expectedCodec) return;
    relay.expectedCodec = codec;
    wrongCodec = true;
    // Killed outright: on SIGTERM ffmpeg would finish the HLS output, listing a stub segment of
    // the wrong codec in the playlist the next run appends to.
    if (state.proc?.pid !== undefined) process.kill(state.proc.pid, 'SIGKILL');
  });
  if (state.closed) return false;
  state.arm(options.connectTimeoutMs ?? 15_000, 'no-frames');
  const current = startMediaProcess(
    access.binaries.ffmpegPath,
    liveArgs(input, options, relay?.expectedCodec ?? 'h264'),
    { signal: options.signal, onStderrLine: info.readLine, env: input.env, limits: input.limits },
  );
  state.proc = current;
  void current.exited.then(info.giveUp, info.giveUp);
  const split = frameSplitter((data) => {
    const size = info.output()!;
    const source = info.source() ?? size;
    const capturedAt = Date.now();
    offer({
      data,
      ...size,
      sourceWidth: source.width,
      sourceHeight: source.height,
      timeMs: Math.max(0, capturedAt - options.epochMs),
      capturedAt,
    });
    state.arm(options.stallMs ?? 5000, 'stalled');
  });
  try {
    for await (const chunk of current.stdout as AsyncIterable<Buffer>) {
      await info.sizeReady;
      const size = info.output();
      if (!size) break;
      split(chunk, size);
    }
  } catch (error) {
    // Stopped for the wrong codec: stdout was closed under the reader.
    if (!wrongCodec) throw error;
  }
  await current.exited;
  const stopped = state.closed || options.signal?.aborted;
  if (wrongCodec && !stopped) return true;
  if (!stopped) state.failure ??= new LiveFeedDropped('ended', lastErrorLine(current.errorLines()));
  return false;
}

/**
 * Reads a live feed with one ffmpeg child (see `liveArgs`). stdout is drained continuously
 * whatever the consumer does, and only the newest complete frame is kept: a slow consumer gets
 * the latest picture, never a queue of stale ones, and the frames it skipped are counted. A
 * watchdog drops a connection that delivers nothing for `stallMs` (some servers keep the socket
 * open after the camera dies). A relayed feed whose picture is not the codec the relay expected
 * is opened once more with the right HLS options (the options cannot change during a run).
 */
export function openLiveFrames(
  access: LiveFeedAccess,
  url: string,
  options: LiveFrameOptions,
): LiveConnection {
  const stats: LiveFrameStats = { delivered: 0, dropped: 0, lagMs: 0 };
  const slot = newestSlot<LiveFrame>(() => (stats.dropped += 1));
  let finished = false;
  let watchdog: NodeJS.Timeout | undefined;
  const state: ConnectionState = {
    closed: false,
    arm(ms, reason) {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        state.failure ??= new LiveFeedDropped(reason, `no frame for ${ms} ms`);
        void state.proc?.stop();
      }, ms);
    },
  };
  const running = runConnection(access, url, options, state, (frame) => slot.offer(frame))
    .catch((error: unknown) => {
      state.failure ??= new LiveFeedDropped('ended', describeError(error));
    })
    .finally(() => {
      clearTimeout(watchdog);
      finished = true;
      slot.notify();
    });

  async function close(): Promise<void> {
    state.closed = true;
    clearTimeout(watchdog);
    await state.proc?.stop();
    await running;
  }

  return {
    stats: () => ({ ...stats }),
    close,
    async *[Symbol.asyncIterator]() {
      try {
        for (;;) {
          const frame = slot.take();
          if (frame) {
            stats.delivered += 1;
            stats.lagMs = Date.now() - frame.capturedAt;
            yield frame;
            continue;
          }
          if (finished) break;
          await slot.wait();
        }
        options.signal?.throwIfAborted();
        if (state.failure && !state.closed) throw state.failure;
      } finally {
        await close();
      }
    },
  };
}
