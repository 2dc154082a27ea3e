import { stat } from 'node:fs/promises';
import { AppError } from '../shared/app-error.js';
import { isLoopbackFile, loopbackFileHeaders } from '../shared/loopback-file.js';
import { untrustedInput, type MediaBinaries } from './media.binaries.js';
import { fileWorkLimits, mediaFailure, runMediaProcess } from './media.process.js';
import type { VideoInfo } from './media.types.js';

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  pix_fmt?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  sample_aspect_ratio?: string;
  duration?: string;
  disposition?: { attached_pic?: number };
  tags?: { rotate?: string };
  side_data_list?: { rotation?: number }[];
}

interface ProbeOutput {
  streams?: ProbeStream[];
  format?: { format_name?: string; duration?: string };
}

/** Demuxers that read still images or text, which ffprobe reports as one-frame "videos". */
const NOT_VIDEO_FORMATS = /(^|,)(image2|tty|[a-z0-9]+_pipe|gif|apng|webp|svg)(,|$)/;

/** The size of a local file, or of a stored one served on loopback; NOT_FOUND when it is gone. */
async function inputSize(path: string): Promise<number> {
  const size = isLoopbackFile(path)
    ? fetch(path, { method: 'HEAD', headers: loopbackFileHeaders(path) }).then((r) =>
        r.ok ? Number(r.headers.get('content-length')) : Promise.reject(new Error()),
      )
    : stat(path).then((s) => s.size);
  return size.catch(() => {
    throw new AppError('NOT_FOUND', 'Video file not found', { path });
  });
}

/**
 * Reads what the product needs to know about a video file. Throws an `AppError` with code
 * `EMPTY_FILE` (zero bytes), `NO_VIDEO_STREAM` (audio only, or only cover art) or
 * `UNSUPPORTED_VIDEO` (corrupt, not a video at all, or a container outside VIDEO_FORMAT_WHITELIST
 * such as a playlist), `MEDIA_LIMIT_EXCEEDED` (ffprobe ran past its limits), or `NOT_FOUND` when
 * the file is missing.
 */
export async function probeVideo(
  binaries: MediaBinaries,
  path: string,
  options: { signal?: AbortSignal } = {},
): Promise<VideoInfo> {
  const size = await inputSize(path);
  if (size === 0) throw new AppError('EMPTY_FILE', 'The video file is empty (zero bytes)');

  const result = await runMediaProcess(
    binaries.ffprobePath,
    [
      '-v',
      'error',
      '-print_format',
      'json',
      '-show_format',
      '-show_streams',
      ...untrustedInput(path, binaries.limits),
    ],
    {
      signal: options.signal,
      limits: fileWorkLimits(binaries.limits, binaries.limits.probeTimeoutMs),
    },
  );
  const refusedFormat = result.errorLines
    .map((line) => /^\[([\w,]+) @ [^\]]+\] Format not on whitelist/.exec(line)?.[1])
    .find(Boolean);
  if (refusedFormat) {
    throw new AppError('UNSUPPORTED_VIDEO', 'The file is not in a video format that is accepted', {
      format: refusedFormat.split(',')[0],
      reason: 'playlists, lists, images and text are refused',
    });
  }
  if (result.status.code !== 0 || result.status.exceeded) {
    throw mediaFailure(
      result.status,
      result.errorLines,
      'The file is not a video that can be read',
    );
  }
  return parseProbe(JSON.parse(result.stdout.toString('utf8')) as ProbeOutput);
}

function parseProbe(probe: ProbeOutput): VideoInfo {
  const formatName = probe.format?.format_name ?? '';
  const streams = probe.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const audio = streams.find((s) => s.codec_type === 'audio');

  if (NOT_VIDEO_FORMATS.test(formatName)) {
    throw new AppError('UNSUPPORTED_VIDEO', 'The file is an image or text, not a video', {
      formatName,
    });
  }
  if (!video) {
    throw new AppError('NO_VIDEO_STREAM', 'The file has no video stream (audio only?)', {
      formatName,
    });
  }
  // The picture's own length: the container's can run longer by an audio track's padding.
  const streamSeconds = Number(video.duration);
  const seconds = streamSeconds > 0 ? streamSeconds : Number(probe.format?.duration);
  const durationMs = Math.round(seconds * 1000);
  const codedWidth = video.width ?? 0;
  const codedHeight = video.height ?? 0;
  if (!(durationMs > 0) || codedWidth <= 0 || codedHeight <= 0) {
    throw new AppError('UNSUPPORTED_VIDEO', 'The video has no duration or picture size', {
      formatName,
    });
  }

  const rotation = clockwiseRotation(video);
  // Non-square pixels are stretched to their display width, as players show them.
  const displayWidth = Math.round(codedWidth * ratio(video.sample_aspect_ratio, 1));
  const quarterTurn = rotation === 90 || rotation === 270;
  const codec = video.codec_name ?? 'unknown';
  return {
    durationMs,
    fps: ratio(video.avg_frame_rate, 0) || ratio(video.r_frame_rate, 0),
    width: quarterTurn ? codedHeight : displayWidth,
    height: quarterTurn ? displayWidth : codedHeight,
    codec,
    rotation,
    hasAudio: audio !== undefined,
    formatName,
    browserPlayable: isBrowserPlayable(formatName, video, audio),
  };
}

/** "30000/1001" → 29.97; anything unusable → `fallback`. */
function ratio(text: string | undefined, fallback: number): number {
  const [num, den] = (text ?? '').split(/[/:]/).map(Number);
  return num && den && Number.isFinite(num / den) ? num / den : fallback;
}

/**
 * Newer ffprobe reports the display matrix (counter-clockwise degrees), older ones a clockwise
 * `rotate` tag; both become clockwise degrees in 0..359.
 */
function clockwiseRotation(video: ProbeStream): number {
  const matrix = video.side_data_list?.find((d) => typeof d.rotation === 'number')?.rotation;
  const degrees = matrix !== undefined ? -matrix : Number(video.tags?.rotate ?? 0) || 0;
  return (((Math.round(degrees / 90) * 90) % 360) + 360) % 360;
}

function isBrowserPlayable(
  formatName: string,
  video: ProbeStream,
  audio: ProbeStream | undefined,
): boolean {
  const audioCodec = audio?.codec_name;
  if (/(^|,)mp4(,|$)/.test(formatName)) {
    const eightBit420 = video.pix_fmt === 'yuv420p' || video.pix_fmt === 'yuvj420p';
    return (
      video.codec_name === 'h264' &&
      eightBit420 &&
      (audioCodec === undefined || audioCodec === 'aac' || audioCodec === 'mp3')
    );
  }
  // Matroska and WebM share a demuxer; only WebM's codecs play in browsers.
  if (/(^|,)webm(,|$)/.test(formatName)) {
    return (
      ['vp8', 'vp9', 'av1'].includes(video.codec_name ?? '') &&
      (audioCodec === undefined || audioCodec === 'opus' || audioCodec === 'vorbis')
    );
  }
  return false;
}
