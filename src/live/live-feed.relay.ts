import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MediaBinaries } from '../media/media.binaries.js';
import {
  lastErrorLine,
  runMediaProcess,
  startMediaProcess,
  type MediaProcess,
} from '../media/media.process.js';
import { openLiveInput, type LiveFeedAccess, type LiveInput } from './live-feed.input.js';
import { probeLiveFeed } from './live-feed.probe.js';
import { backoffDelay } from './live-feed.supervisor.js';

/** Seconds per HLS segment and segments listed in the playlist: a rolling window of ~12 s. */
export const HLS_SEGMENT_SECONDS = 2;
const HLS_LIST_SIZE = 6;
/** Segments kept on disk after they leave the playlist, so clips can reach back ~1 minute. */
const HLS_KEPT_AFTER_LIST = 30;
/** How often the playlist is read: the accuracy of the segments' wall-clock times. */
const PLAYLIST_POLL_MS = 250;

const PLAYLIST_NAME = 'index.m3u8';
/** The names the relay writes; anything else in its folder is never served. */
const RELAY_FILE = /^(index\.m3u8|seg\d{5,}\.ts)$/;

/** A segment on disk and the wall-clock time (ms since the epoch) its picture starts at. */
export interface RelaySegment {
  file: string;
  startMs: number;
  durationMs: number;
}

export interface HlsRelay {
  readonly dir: string;
  /** Segments still on disk, oldest first. */
  segments(): RelaySegment[];
  /** Resolves true once a finished segment reaches past `wallMs`, false after `timeoutMs`. */
  waitUntilCovered(wallMs: number, timeoutMs: number): Promise<boolean>;
  /** Stops ffmpeg; the files stay. */
  stop(): Promise<void>;
  /** Stops ffmpeg and deletes the folder. */
  remove(): Promise<void>;
}

export interface HlsRelayOptions {
  /** Socket timeout towards the camera. */
  ioTimeoutMs?: number;
  firstBackoffMs?: number;
  maxBackoffMs?: number;
}

/** The folder of one feed's relay in one search. */
export const relayDir = (dataDir: string, searchId: string, videoId: string): string =>
  path.join(dataDir, 'live', searchId, videoId);

/** A file of a relay folder with its content type, or null when it is not (or no longer) there. */
export async function openRelayFile(
  dir: string,
  file: string,
): Promise<{ stream: Readable; contentType: string } | null> {
  if (!RELAY_FILE.test(file)) return null;
  const handle = await open(path.join(dir, file), 'r').catch(() => null);
  if (!handle) return null;
  return {
    stream: handle.createReadStream(),
    contentType: file.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/mp2t',
  };
}

/** The segments an HLS playlist lists, with their durations (ms), in order. */
function parsePlaylist(text: string): { file: string; durationMs: number }[] {
  const segments: { file: string; durationMs: number }[] = [];
  let duration = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#EXTINF:')) duration = Math.round(Number.parseFloat(line.slice(8)) * 1000);
    else if (line && !line.startsWith('#')) segments.push({ file: line, durationMs: duration });
  }
  return segments;
}

/**
 * Relays a live feed as HLS into `outDir` (index.m3u8 + 2 s segments, a rolling window) for the
 * browser: the H.264 picture is copied as it is, anything else is encoded to H.264 (veryfast).
 * ffmpeg is restarted with the same backoff as the analysis when the feed drops; the playlist
 * carries on (`append_list`). The wall-clock time of every segment is remembered so matches can
 * be cut from the relayed footage: a segment enters the playlist the moment it is complete, so
 * it ends when the playlist first lists it (ffmpeg's own program date-time is only accurate to
 * the second in some builds).
 */
export function startHlsRelay(
  access: LiveFeedAccess,
  url: string,
  outDir: string,
  options: HlsRelayOptions = {},
): HlsRelay {
  const ioTimeoutMs = options.ioTimeoutMs ?? 5000;
  const stopping = new AbortController();
  const timeline = new Map<string, RelaySegment>();
  let proc: MediaProcess | undefined;

  async function readTimeline(): Promise<void> {
    const text = await readFile(path.join(outDir, PLAYLIST_NAME), 'utf8').catch(() => '');
    const seenAt = Date.now();
    for (const { file, durationMs } of parsePlaylist(text)) {
      if (!timeline.has(file))
        timeline.set(file, { file, startMs: seenAt - durationMs, durationMs });
    }
  }

  async function runOnce(): Promise<void> {
    const info = await probeLiveFeed(access, url, {
      timeoutMs: ioTimeoutMs,
      signal: stopping.signal,
    });
    const video =
      info.codec === 'h264'
        ? ['-c:v', 'copy']
        : [
            '-c:v',
            'libx264',
            '-preset',
            'veryfast',
            '-tune',
            'zerolatency',
            '-pix_fmt',
            'yuv420p',
            // Segments can only start at keyframes: one per segment keeps them 2 s long.
            '-force_key_frames',
            `expr:gte(t,n_forced*${HLS_SEGMENT_SECONDS})`,
          ];
    const input = await openLiveInput(access, url, ioTimeoutMs);
    try {
      await relayInput(input, video);
    } finally {
      await input.close();
    }
  }

  async function relayInput(input: LiveInput, video: string[]): Promise<void> {
    const args = [
      '-hide_banner',
      '-nostdin',
      '-nostats',
      '-loglevel',
      'level+warning',
      // Probing buffers the stream; the first segments would arrive late, with wrong times.
      '-probesize',
      '1000000',
      '-analyzeduration',
      '1000000',
      ...input.args,
      '-map',
      '0:v:0',
      '-an',
      ...video,
      '-f',
      'hls',
      '-hls_time',
      String(HLS_SEGMENT_SECONDS),
      '-hls_list_size',
      String(HLS_LIST_SIZE),
      '-hls_delete_threshold',
      String(HLS_KEPT_AFTER_LIST),
      '-hls_flags',
      'delete_segments+append_list+program_date_time',
      '-hls_segment_filename',
      path.join(outDir, 'seg%05d.ts'),
      path.join(outDir, PLAYLIST_NAME),
    ];
    proc = startMediaProcess(access.binaries.ffmpegPath, args, {
      signal: stopping.signal,
      env: input.env,
      limits: input.limits,
    });
    await proc.exited;
  }

  const running = (async () => {
    // Footage left by an earlier run has no known time: start from an empty folder.
    await rm(outDir, { recursive: true, force: true });
    await mkdir(outDir, { recursive: true });
    const poller = setInterval(() => void readTimeline(), PLAYLIST_POLL_MS);
    let failures = 0;
    try {
      while (!stopping.signal.aborted) {
        const started = Date.now();
        await runOnce().catch(() => undefined);
        if (stopping.signal.aborted) break;
        // A relay that ran for a while had a working connection: start the backoff afresh.
        if (Date.now() - started > 30_000) failures = 0;
        const wait = backoffDelay(failures++, options.firstBackoffMs, options.maxBackoffMs);
        await sleep(wait, undefined, { signal: stopping.signal }).catch(() => undefined);
      }
    } finally {
      clearInterval(poller);
      await readTimeline();
    }
  })();

  function segments(): RelaySegment[] {
    return [...timeline.values()]
      .filter((segment) => existsSync(path.join(outDir, segment.file)))
      .sort((a, b) => a.startMs - b.startMs);
  }

  async function stop(): Promise<void> {
    stopping.abort();
    await proc?.stop();
    await running;
  }

  return {
    dir: outDir,
    segments,
    async waitUntilCovered(wallMs, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await readTimeline();
        const last = segments().at(-1);
        if (last && last.startMs + last.durationMs >= wallMs) return true;
        if (Date.now() >= deadline || stopping.signal.aborted) return false;
        await sleep(PLAYLIST_POLL_MS);
      }
    },
    stop,
    async remove() {
      await stop();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}

/**
 * Cuts [fromMs, toMs] (wall clock) out of the relayed segments still on disk into a browser-
 * playable H.264 MP4 at `outPath`; returns the wall-clock range it covers, or null when the
 * footage is gone. The segments are joined into one MPEG-TS file first (they are one stream).
 */
export async function cutRelayClip(
  binaries: MediaBinaries,
  relay: HlsRelay,
  fromMs: number,
  toMs: number,
  outPath: string,
  signal?: AbortSignal,
): Promise<{ startMs: number; endMs: number } | null> {
  const chosen = relay
    .segments()
    .filter((segment) => segment.startMs + segment.durationMs > fromMs && segment.startMs < toMs);
  const first = chosen[0];
  const last = chosen.at(-1);
  if (!first || !last) return null;
  const joined = `${outPath}.ts`;
  try {
    const out = createWriteStream(joined);
    for (const segment of chosen) {
      await pipeline(createReadStream(path.join(relay.dir, segment.file)), out, { end: false });
    }
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    const startMs = Math.max(fromMs, first.startMs);
    const endMs = Math.min(toMs, last.startMs + last.durationMs);
    const result = await runMediaProcess(
      binaries.ffmpegPath,
      [
        '-hide_banner',
        '-nostdin',
        '-loglevel',
        'level+error',
        '-y',
        '-ss',
        ((startMs - first.startMs) / 1000).toFixed(3),
        '-i',
        joined,
        '-t',
        ((endMs - startMs) / 1000).toFixed(3),
        '-map',
        '0:v:0',
        '-vf',
        "scale='min(1280,iw)':'min(1280,ih)':force_original_aspect_ratio=decrease,scale=trunc(iw/2)*2:trunc(ih/2)*2",
        '-c:v',
        'libx264',
        '-preset',
        'veryfast',
        '-crf',
        '26',
        '-pix_fmt',
        'yuv420p',
        '-movflags',
        '+faststart',
        outPath,
      ],
      { signal },
    );
    if (result.status.code !== 0) {
      throw new Error(`ffmpeg could not cut the clip: ${lastErrorLine(result.errorLines)}`);
    }
    return { startMs, endMs };
  } finally {
    await rm(joined, { force: true });
  }
}
