import { decodeFrames } from './frame.decoder.js';
import { encodeJpeg } from './frame.jpeg.js';
import { openLiveFrames } from './live.frames.js';
import { probeLiveFeed } from './live.probe.js';
import { cutRelayClip } from './live.relay.js';
import type { BinaryOrigin, MediaBinaries } from './media.binaries.js';
import type { MediaAdapter } from './media.types.js';
import { probeVideo } from './video.probe.js';
import { cutClip, decodeToNull, extractPoster, makeBrowserRendition } from './video.transcode.js';

/** The media adapter over the given ffmpeg/ffprobe binaries (see `resolveMediaBinaries`). */
export function createMediaAdapter(binaries: MediaBinaries): MediaAdapter {
  return {
    binaries: binaries.origin,
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
    probeLiveFeed: (url, { policy, ...options }) =>
      probeLiveFeed({ binaries, policy }, url, options),
    openLiveFeed: (url, { policy, ...options }) =>
      openLiveFrames({ binaries, policy }, url, options),
    cutRelayClip: (relay, range, outPath, signal) =>
      cutRelayClip(binaries, relay, range, outPath, signal),
  };
}

/** One line for the start-up log: which ffmpeg decodes untrusted footage, and a warning when it is old. */
export function describeMediaBinaries(origin: { ffmpeg: BinaryOrigin; ffprobe: BinaryOrigin }) {
  const outdated = origin.ffmpeg.outdated || origin.ffprobe.outdated;
  const message =
    `ffmpeg ${origin.ffmpeg.version} (${origin.ffmpeg.source}), ` +
    `ffprobe ${origin.ffprobe.version} (${origin.ffprobe.source})` +
    (outdated ? ': outdated, install a maintained ffmpeg (apt-get install ffmpeg)' : '');
  return { level: outdated ? ('warn' as const) : ('info' as const), message, origin };
}
