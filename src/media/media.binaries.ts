import { createRequire } from 'node:module';

export interface MediaBinaries {
  ffmpegPath: string;
  ffprobePath: string;
}

/**
 * Binary paths from configuration, else the static builds shipped in the `@ffmpeg-installer/ffmpeg`
 * and `ffprobe-static` packages, so `npm install` suffices. (Every `@ffprobe-installer/ffprobe`
 * build crashes on MPEG-TS, a common CCTV export format; ffprobe-static's does not.)
 */
export function resolveMediaBinaries(config: {
  FFMPEG_PATH?: string;
  FFPROBE_PATH?: string;
}): MediaBinaries {
  const require = createRequire(import.meta.url);
  return {
    ffmpegPath:
      config.FFMPEG_PATH ?? (require('@ffmpeg-installer/ffmpeg') as { path: string }).path,
    ffprobePath: config.FFPROBE_PATH ?? (require('ffprobe-static') as { path: string }).path,
  };
}

/**
 * ffmpeg reads its input through the `file:` protocol, so a name containing a colon or starting
 * with a dash is never taken for a URL or an option.
 */
export function inputUrl(path: string): string {
  return `file:${path}`;
}
