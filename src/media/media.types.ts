import type { OutboundPolicy } from '../net/outbound-policy.js';
import type { Box, RgbFrame } from '../recognition/recognition.types.js';
import type { LiveConnection, LiveFrameOptions } from './live.frames.js';
import type { LiveFeedInfo } from './live.probe.js';
import type { HlsRelay } from './live.relay.js';
import type { BinaryOrigin } from './media.binaries.js';

/**
 * Media failures are `AppError`s (src/shared/app-error.ts) with these codes: `EMPTY_FILE` (zero
 * bytes), `NO_VIDEO_STREAM` (audio only), `UNSUPPORTED_VIDEO` (corrupt, truncated, not a video,
 * or ffmpeg failed on it). A missing file is `NOT_FOUND`, a missing ffmpeg binary `UNAVAILABLE`.
 * An aborted operation rejects with its signal's reason (an `AbortError` by default).
 */
export type MediaErrorCode = 'UNSUPPORTED_VIDEO' | 'NO_VIDEO_STREAM' | 'EMPTY_FILE';

export interface VideoInfo {
  durationMs: number;
  fps: number;
  /** Picture size as players show it: rotation and non-square pixels applied. */
  width: number;
  height: number;
  codec: string;
  /** Clockwise rotation from the container's display matrix, degrees. */
  rotation: number;
  hasAudio: boolean;
  formatName: string;
  /** True when browsers play the file as it is (H.264/AAC in MP4/WebM-compatible containers). */
  browserPlayable: boolean;
}

export interface DecodeOptions {
  /** Frames per second to sample from the video. */
  sampledFps: number;
  /** Longest side of the frames handed out (they keep the aspect ratio). */
  maxSide: number;
  /**
   * Start decoding here (for resume), milliseconds: the frames are exactly those an
   * uninterrupted run yields with `timeMs >= startMs`.
   */
  startMs?: number;
  signal?: AbortSignal;
}

/** Decodes frames with their true timestamps; the ffmpeg child is reaped on end, error and abort. */
export type FrameSource = AsyncIterable<RgbFrame>;

/** Operations on a file whose `VideoInfo` the caller already has may pass it to skip a probe. */
interface KnownInfo {
  info?: VideoInfo;
  signal?: AbortSignal;
}

export interface PosterOptions extends KnownInfo {
  atMs: number;
  /** Longest side of the JPEG; default 640. */
  maxSide?: number;
}

export interface ClipRange {
  startMs: number;
  endMs: number;
  /** Footage kept before and after the range; default 2000. */
  padMs?: number;
}

export interface ClipOptions extends KnownInfo {
  /** Longest side of the clip; default 1280. */
  maxSide?: number;
}

export interface RenditionOptions extends KnownInfo {
  /** Fraction done in [0, 1], rising; called with 1 at the end. */
  onProgress?: (fraction: number) => void;
  /** Longest side of the rendition; default the source size. */
  maxSide?: number;
}

export interface JpegOptions {
  /** Cut out this face box (pixels of the source video). */
  crop?: Box;
  /** Space kept around `crop`, as a fraction of its size on each side; default 0.4. */
  margin?: number;
  /** Outline these boxes (pixels of the source video). */
  annotate?: Box[];
  /** JPEG quality 1–100; default 85. */
  quality?: number;
}

/** Everything the product does with video files, behind one interface (ffmpeg + sharp). */
export interface MediaAdapter {
  /** Which ffmpeg and ffprobe run, for the health endpoint and the start-up log. */
  readonly binaries: { ffmpeg: BinaryOrigin; ffprobe: BinaryOrigin };
  probeVideo(path: string, options?: { signal?: AbortSignal }): Promise<VideoInfo>;
  decodeFrames(path: string, options: DecodeOptions & { info?: VideoInfo }): FrameSource;
  /** JPEG bytes of the frame at `atMs`. */
  extractPoster(path: string, options: PosterOptions): Promise<Buffer>;
  /** Writes a browser-playable MP4 of the padded range; returns the range actually cut. */
  cutClip(
    path: string,
    range: ClipRange,
    outPath: string,
    options?: ClipOptions,
  ): Promise<{ startMs: number; endMs: number }>;
  makeBrowserRendition(path: string, outPath: string, options?: RenditionOptions): Promise<void>;
  encodeJpeg(frame: RgbFrame, options?: JpegOptions): Promise<Buffer>;
  /** The whole frame with `box` (pixels of the source video) outlined. */
  annotatedFrameJpeg(frame: RgbFrame, box: Box): Promise<Buffer>;
  /** The face in `box` with the default margin around it. */
  faceCropJpeg(frame: RgbFrame, box: Box): Promise<Buffer>;
  /** Decodes the whole video to nothing (the benchmark's baseline). */
  decodeToNull(path: string, options?: { signal?: AbortSignal }): Promise<void>;
  /**
   * Connects to a live feed (every connection obeys `policy`) and decodes one frame: what it
   * carries, or an `AppError` saying why it cannot be used.
   */
  probeLiveFeed(url: string, options: LiveProbeOptions): Promise<LiveFeedInfo>;
  /**
   * One connection to a live feed: its frames, and the HLS relay written over the same
   * connection when `options.relay` is given (see `startHlsRelay`).
   */
  openLiveFeed(url: string, options: LiveFeedOptions): LiveConnection;
  /** Cuts a wall-clock range out of a relay into a browser-playable MP4; null when it is gone. */
  cutRelayClip(
    relay: HlsRelay,
    range: { fromMs: number; toMs: number },
    outPath: string,
    signal?: AbortSignal,
  ): Promise<{ startMs: number; endMs: number } | null>;
}

export interface LiveProbeOptions {
  policy: OutboundPolicy;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface LiveFeedOptions extends LiveFrameOptions {
  /** The outbound policy every camera connection obeys. */
  policy: OutboundPolicy;
}
