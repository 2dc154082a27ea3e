import type { RgbFrame } from '../recognition/recognition.types.js';

export type MediaErrorCode = 'UNSUPPORTED_VIDEO' | 'NO_VIDEO_STREAM' | 'EMPTY_FILE';

export interface VideoInfo {
  durationMs: number;
  fps: number;
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
  /** Start decoding here (for resume), milliseconds. */
  startMs?: number;
  signal?: AbortSignal;
}

/** Decodes frames with their true timestamps; the ffmpeg child is reaped on end, error and abort. */
export type FrameSource = AsyncIterable<RgbFrame>;
