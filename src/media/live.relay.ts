import { createWriteStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAppError } from '../shared/app-error.js';
import type { Storage } from '../storage/storage.types.js';
import type { MediaBinaries } from './media.binaries.js';
import { lastErrorLine, runMediaProcess } from './media.process.js';

/** Seconds per HLS segment and segments listed in the playlist: a rolling window of ~12 s. */
export const HLS_SEGMENT_SECONDS = 2;
const HLS_LIST_SIZE = 6;
/** Segments kept after they leave the playlist, so clips can reach back ~1 minute. */
const HLS_KEPT_AFTER_LIST = 30;
/** How often the playlist is read: the accuracy of the segments' wall-clock times. */
const PLAYLIST_POLL_MS = 250;

const PLAYLIST_NAME = 'index.m3u8';
/** The names the relay writes; anything else under its key prefix is never served. */
const RELAY_FILE = /^(index\.m3u8|seg\d{5,}\.ts)$/;

/** A stored segment and the wall-clock time (ms since the epoch) its picture starts at. */
export interface RelaySegment {
  file: string;
  startMs: number;
  durationMs: number;
}

/**
 * The HLS relay of one live feed: ffmpeg (the feed's connection, see `openLiveFrames`) writes the
 * playlist and its segments into a local scratch folder, and the relay publishes every finished
 * segment, then the playlist that lists it, to storage under `keyPrefix`, where the browser reads
 * them. It outlives the connections: a reconnection appends to the same playlist.
 */
export interface HlsRelay {
  /** The folder ffmpeg writes into. */
  readonly outputDir: string;
  /** ffmpeg output options for a feed whose picture is `codec`. */
  outputArgs(codec: string): string[];
  /** The codec the relay expects, so the next connection's options fit the stream at once. */
  expectedCodec: string;
  /** Published segments, oldest first. */
  segments(): RelaySegment[];
  /** Resolves true once a finished segment reaches past `wallMs`, false after `timeoutMs`. */
  waitUntilCovered(wallMs: number, timeoutMs: number): Promise<boolean>;
  /** The bytes of a published segment. */
  readSegment(segment: RelaySegment): Promise<Readable>;
  /** Publishes what ffmpeg finished and stops watching; the stored files stay. */
  stop(): Promise<void>;
  /** Stops and deletes the relay from storage and scratch. */
  remove(): Promise<void>;
}

/** The key prefix of one feed's relay in one search (under its owner, removed with the search). */
export const relayKeyPrefix = (ownerId: string, searchId: string, videoId: string): string =>
  `users/${ownerId}/searches/${searchId}/live/${videoId}/`;

/** A stored relay file with its content type, or null when it is not (or no longer) there. */
export async function openRelayFile(
  storage: Storage,
  keyPrefix: string,
  file: string,
): Promise<{ stream: Readable; contentType: string } | null> {
  if (!RELAY_FILE.test(file)) return null;
  const stream = await storage.get(`${keyPrefix}${file}`).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'NOT_FOUND') return null;
    throw error;
  });
  if (!stream) return null;
  return {
    stream,
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
 * The HLS output of a feed: the H.264 picture is copied as it is, anything else is encoded to
 * H.264 (veryfast). Segments stay in the scratch folder until the relay publishes them, so
 * ffmpeg deletes none itself; `append_list` carries the playlist on across reconnections.
 */
function hlsOutputArgs(outputDir: string, codec: string): string[] {
  const video =
    codec === 'h264'
      ? ['-c:v', 'copy']
      : [
          ...['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency'],
          ...['-pix_fmt', 'yuv420p'],
          // Segments can only start at keyframes: one per segment keeps them 2 s long.
          ...['-force_key_frames', `expr:gte(t,n_forced*${HLS_SEGMENT_SECONDS})`],
        ];
  return [
    ...['-map', '0:v:0', '-an', ...video],
    ...['-f', 'hls', '-hls_time', String(HLS_SEGMENT_SECONDS)],
    ...['-hls_list_size', String(HLS_LIST_SIZE), '-hls_flags', 'append_list+program_date_time'],
    ...['-hls_segment_filename', path.join(outputDir, 'seg%05d.ts')],
    path.join(outputDir, PLAYLIST_NAME),
  ];
}

/**
 * Starts a relay into `storage` under `keyPrefix` (emptied first: footage left by an earlier run
 * has no known time). A segment enters the playlist the moment it is complete, so it ends when
 * the playlist first lists it (ffmpeg's own program date-time is only accurate to the second in
 * some builds): that is the wall-clock time clips are cut by.
 */
export async function startHlsRelay(storage: Storage, keyPrefix: string): Promise<HlsRelay> {
  await storage.deletePrefix(keyPrefix);
  const outputDir = await storage.scratchDir();
  const timeline = new Map<string, RelaySegment>();
  let syncing = Promise.resolve();
  let stopped = false;

  async function publish(): Promise<void> {
    const text = await readFile(path.join(outputDir, PLAYLIST_NAME), 'utf8').catch(() => '');
    const seenAt = Date.now();
    let fresh = false;
    for (const { file, durationMs } of parsePlaylist(text)) {
      if (timeline.has(file) || !RELAY_FILE.test(file)) continue;
      await storage.putFile(`${keyPrefix}${file}`, path.join(outputDir, file));
      timeline.set(file, { file, startMs: seenAt - durationMs, durationMs });
      fresh = true;
    }
    if (!fresh) return;
    await storage.put(`${keyPrefix}${PLAYLIST_NAME}`, Buffer.from(text));
    for (const old of [...timeline.keys()].slice(0, -(HLS_LIST_SIZE + HLS_KEPT_AFTER_LIST))) {
      timeline.delete(old);
      await storage.delete(`${keyPrefix}${old}`);
    }
  }
  // Publications are chained: one at a time, in order, and a failed one does not stop the next.
  const sync = () => (syncing = syncing.then(publish).catch(() => undefined));
  const poller = setInterval(() => void sync(), PLAYLIST_POLL_MS);

  const segments = () => [...timeline.values()].sort((a, b) => a.startMs - b.startMs);
  async function stop(): Promise<void> {
    stopped = true;
    clearInterval(poller);
    await sync();
  }

  return {
    outputDir,
    outputArgs: (codec) => hlsOutputArgs(outputDir, codec),
    expectedCodec: 'h264',
    segments,
    async waitUntilCovered(wallMs, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await sync();
        const last = segments().at(-1);
        if (last && last.startMs + last.durationMs >= wallMs) return true;
        if (Date.now() >= deadline || stopped) return false;
        await sleep(PLAYLIST_POLL_MS);
      }
    },
    readSegment: (segment) => storage.get(`${keyPrefix}${segment.file}`),
    stop,
    async remove() {
      await stop();
      await storage.deletePrefix(keyPrefix);
      await storage.discardScratch(outputDir);
    },
  };
}

/**
 * Cuts [fromMs, toMs] (wall clock) out of the relayed segments still stored into a browser-
 * playable H.264 MP4 at `outPath`; returns the wall-clock range it covers, or null when the
 * footage is gone. The segments are joined into one MPEG-TS file first (they are one stream).
 */
export async function cutRelayClip(
  binaries: MediaBinaries,
  relay: HlsRelay,
  range: { fromMs: number; toMs: number },
  outPath: string,
  signal?: AbortSignal,
): Promise<{ startMs: number; endMs: number } | null> {
  const { fromMs, toMs } = range;
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
      await pipeline(await relay.readSegment(segment), out, { end: false });
    }
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    const startMs = Math.max(fromMs, first.startMs);
    const endMs = Math.min(toMs, last.startMs + last.durationMs);
    const offsetMs = startMs - first.startMs;
    await encodeClip(binaries, joined, { offsetMs, durationMs: endMs - startMs }, outPath, signal);
    return { startMs, endMs };
  } finally {
    await rm(joined, { force: true });
  }
}

/** Encodes a part of a joined MPEG-TS file into a browser-playable MP4 of at most 1280 px. */
async function encodeClip(
  binaries: MediaBinaries,
  joined: string,
  part: { offsetMs: number; durationMs: number },
  outPath: string,
  signal?: AbortSignal,
): Promise<void> {
  const result = await runMediaProcess(
    binaries.ffmpegPath,
    [
      ...['-hide_banner', '-nostdin', '-loglevel', 'level+error', '-y'],
      ...['-ss', (part.offsetMs / 1000).toFixed(3), '-i', joined],
      ...['-t', (part.durationMs / 1000).toFixed(3), '-map', '0:v:0'],
      '-vf',
      "scale='min(1280,iw)':'min(1280,ih)':force_original_aspect_ratio=decrease,scale=trunc(iw/2)*2:trunc(ih/2)*2",
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '26', '-pix_fmt', 'yuv420p'],
      ...['-movflags', '+faststart', outPath],
    ],
    { signal },
  );
  if (result.status.code !== 0) {
    throw new Error(`ffmpeg could not cut the clip: ${lastErrorLine(result.errorLines)}`);
  }
}
