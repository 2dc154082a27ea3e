import { decodeFrames } from './frame.decoder.js';
import { encodeJpeg } from './frame.jpeg.js';
import type { MediaBinaries } from './media.binaries.js';
import type { MediaAdapter } from './media.types.js';
import { probeVideo } from './video.probe.js';
import { cutClip, decodeToNull, extractPoster, makeBrowserRendition } from './video.transcode.js';

/** The media adapter over the given ffmpeg/ffprobe binaries (see `resolveMediaBinaries`). */
export function createMediaAdapter(binaries: MediaBinaries): MediaAdapter {
  return {
    probeVideo: (path, options) => probeVideo(binaries, path, options),
    decodeFrames: (path, options) => decodeFrames(binaries, path, options),
    extractPoster: (path, options) => extractPoster(binaries, path, options),
    cutClip: (path, range, outPath, options) => cutClip(binaries, path, range, outPath, options),
    makeBrowserRendition: (path, outPath, options) =>
      makeBrowserRendition(binaries, path, outPath, options),
    encodeJpeg,
    annotatedFrameJpeg: (frame, box) => encodeJpeg(frame, { annotate: [box] }),
    faceCropJpeg: (frame, box) => encodeJpeg(frame, { crop: box }),
    decodeToNull: (path, options) => decodeToNull(binaries, path, options),
  };
}
