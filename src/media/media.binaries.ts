import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { isLoopbackFile } from '../shared/loopback-file.js';

/** Where a binary comes from: FFMPEG_PATH/FFPROBE_PATH, the PATH, or the npm package. */
export type BinarySource = 'configured' | 'system' | 'bundled';

/** What runs: shown by `GET /api/health` and logged at start-up. */
export interface BinaryOrigin {
  path: string;
  /** `5.1.9`, or the build's own name (a git snapshot) when it has no release number. */
  version: string;
  source: BinarySource;
  /** True for a build older than MIN_VERSION or the npm-bundled one (ffmpeg 4.x of 2018). */
  outdated: boolean;
}

/** Bounds for every ffmpeg/ffprobe child that reads an uploaded or stored file. */
export interface MediaLimits {
  /** `-threads` for decoders, encoders and filters. */
  threads: number;
  /** Wall-clock limit of a probe or a poster frame. */
  probeTimeoutMs: number;
  /** Whole-file work (decode, rendition, clip) gets probeTimeoutMs plus this per footage second. */
  timeoutFactor: number;
  /** Address-space limit of each child; undefined for none. */
  addressSpaceBytes: number | undefined;
}

export interface MediaBinaries {
  ffmpegPath: string;
  ffprobePath: string;
  origin: { ffmpeg: BinaryOrigin; ffprobe: BinaryOrigin };
  limits: MediaLimits;
}

export interface MediaConfig {
  FFMPEG_PATH?: string;
  FFPROBE_PATH?: string;
  MEDIA_THREADS?: number;
  MEDIA_PROBE_TIMEOUT_SECONDS?: number;
  MEDIA_TIMEOUT_FACTOR?: number;
  MEDIA_MEMORY_LIMIT_MB?: number;
}

/** Debian 12's ffmpeg: older releases no longer get security fixes from upstream. */
const MIN_VERSION: [number, number] = [5, 1];

/**
 * Formats an upload may be in: real video containers and raw H.264/HEVC/MPEG streams, which open
 * no file but the one given. Playlists (hls), lists (concat), images (image2, mjpeg), subtitles,
 * text (tty) and session descriptions (sdp, rtsp) are not here: several open other files or URLs.
 * av_match_list matches any one name of a demuxer (`mov,mp4,m4a,3gp,3g2,mj2`, `matroska,webm`).
 */
export const VIDEO_FORMAT_WHITELIST = [
  'mov',
  'matroska',
  'avi',
  'mpegts',
  'mpeg',
  'flv',
  'asf',
  'ogg',
  'h264',
  'hevc',
  'm4v',
  'mpegvideo',
  'dhav',
].join(',');

const resolved = new Map<string, BinaryOrigin>();

/**
 * Chooses each binary once per process: FFMPEG_PATH/FFPROBE_PATH when set, else the one on the
 * PATH when it is at least 5.1 (a distribution's build gets security updates), else the static
 * build shipped in `@ffmpeg-installer/ffmpeg` / `ffprobe-static` so `npm install` suffices.
 */
export function resolveMediaBinaries(config: MediaConfig): MediaBinaries {
  const require = createRequire(import.meta.url);
  const ffmpeg = resolveBinary(
    'ffmpeg',
    config.FFMPEG_PATH,
    () => (require('@ffmpeg-installer/ffmpeg') as { path: string }).path,
  );
  const ffprobe = resolveBinary(
    'ffprobe',
    config.FFPROBE_PATH,
    () => (require('ffprobe-static') as { path: string }).path,
  );
  const memoryMb = config.MEDIA_MEMORY_LIMIT_MB ?? 4096;
  return {
    ffmpegPath: ffmpeg.path,
    ffprobePath: ffprobe.path,
    origin: { ffmpeg, ffprobe },
    limits: {
      threads: config.MEDIA_THREADS ?? 2,
      probeTimeoutMs: (config.MEDIA_PROBE_TIMEOUT_SECONDS ?? 30) * 1000,
      timeoutFactor: config.MEDIA_TIMEOUT_FACTOR ?? 20,
      addressSpaceBytes: memoryMb > 0 ? memoryMb * 1024 * 1024 : undefined,
    },
  };
}

function resolveBinary(name: string, configured: string | undefined, bundled: () => string) {
  const key = `${name}\0${configured ?? ''}\0${process.env.PATH ?? ''}`;
  let origin = resolved.get(key);
  if (!origin) {
    origin = configured
      ? describe(configured, 'configured')
      : (systemBinary(name) ?? describe(bundled(), 'bundled'));
    resolved.set(key, origin);
  }
  return origin;
}

function systemBinary(name: string): BinaryOrigin | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
    } catch {
      continue;
    }
    const origin = describe(candidate, 'system');
    return origin.outdated ? undefined : origin;
  }
  return undefined;
}

function describe(binary: string, source: BinarySource): BinaryOrigin {
  let version = 'unknown';
  try {
    const banner = execFileSync(binary, ['-version'], { encoding: 'utf8', timeout: 10_000 });
    version = /version (\S+)/.exec(banner)?.[1] ?? version;
  } catch {
    // A missing or broken binary is reported as UNAVAILABLE when it is first run.
  }
  const release = /^n?(\d+)\.(\d+)/.exec(version);
  const tooOld =
    !release ||
    Number(release[1]) < MIN_VERSION[0] ||
    (Number(release[1]) === MIN_VERSION[0] && Number(release[2]) < MIN_VERSION[1]);
  return { path: binary, version, source, outdated: source === 'bundled' || tooOld };
}

/**
 * ffmpeg reads a local input through the `file:` protocol, so a name containing a colon or
 * starting with a dash is never taken for a URL or an option.
 */
export function inputUrl(path: string): string {
  return isLoopbackFile(path) ? path : `file:${path}`;
}

/**
 * Options and input for a stored file: only the `file` protocol (or, for an encrypted file,
 * http to the loopback server that decrypts it) — nothing else on the network, no
 * `concat:`/`subfile:` tricks — and only real video containers, so a playlist or list that names
 * other files is refused before any of them is opened.
 */
export function untrustedInput(file: string, limits: MediaLimits): string[] {
  return [
    '-threads',
    String(limits.threads),
    '-protocol_whitelist',
    isLoopbackFile(file) ? 'http,tcp' : 'file',
    '-format_whitelist',
    VIDEO_FORMAT_WHITELIST,
    '-i',
    inputUrl(file),
  ];
}

/** `untrustedInput` for ffmpeg, whose filters also get only `limits.threads` threads. */
export function untrustedFfmpegInput(file: string, limits: MediaLimits): string[] {
  return ['-filter_threads', String(limits.threads), ...untrustedInput(file, limits)];
}
