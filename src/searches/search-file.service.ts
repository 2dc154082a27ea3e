import type { Readable } from 'node:stream';
import type { Db } from '../db/database.js';
import type { MediaAdapter } from '../media/media.types.js';
import { AppError, notFound } from '../shared/app-error.js';
import type { ByteRange, Storage } from '../storage/storage.types.js';
import { findAppearance, findDetection, setDetectionImages } from './result.repository.js';
import { findVideo } from './search.repository.js';
import { requireSearch } from './search.service.js';
import type { DetectionRow, SearchRow } from '../db/tables/search.table.js';

/** Result images are read from storage, or drawn again from the footage by the media adapter. */
export interface SearchFileDeps {
  db: Db;
  storage: Storage;
  media: MediaAdapter;
}

export interface FileBody {
  stream: Readable;
  contentType: string;
  /** Bytes sent (the range's length when `range` is set). */
  length: number;
  /** Set for a partial (206) answer. */
  range?: ByteRange & { total: number };
}

/** Parses a single `bytes=` range; multi-range requests are answered with the whole file. */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, from = '', to = ''] = match;
  let start: number;
  let end: number;
  if (from === '') {
    const suffix = Number(to);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(from);
    end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  }
  if (start > end || start >= size) {
    throw new AppError('RANGE_NOT_SATISFIABLE', `Range ${header} is outside the ${size} bytes`, {
      size,
    });
  }
  return { start, end };
}

/**
 * Longest side of a frame decoded on request. The web process never holds a full-size frame of
 * arbitrary footage (an 8K RGB frame is 100 MiB): ffmpeg, a bounded child, scales it down first.
 */
const RENDERED_FRAME_MAX_SIDE = 1920;

/**
 * The stored frame and face crop of detections that were never the best of their appearance are
 * made on first request from the footage (same frame, same box) and kept.
 */
async function renderDetectionImages(
  deps: SearchFileDeps,
  search: SearchRow,
  detection: DetectionRow,
): Promise<{ frameKey: string; faceKey: string }> {
  const video = await findVideo(deps.db, detection.video_id);
  if (!video?.storage_key) throw notFound('Video file');
  const file = await deps.storage.openLocal(video.storage_key);
  try {
    const info = await deps.media.probeVideo(file.path);
    const box = {
      x: detection.box_x,
      y: detection.box_y,
      width: detection.box_width,
      height: detection.box_height,
    };
    for await (const frame of deps.media.decodeFrames(file.path, {
      sampledFps: search.sampled_fps,
      maxSide: Math.min(RENDERED_FRAME_MAX_SIDE, Math.max(info.width, info.height)),
      startMs: detection.time_ms,
      info,
    })) {
      const folder = `users/${search.owner_id}/searches/${search.id}`;
      const frameKey = `${folder}/frames/${detection.id}.jpg`;
      const faceKey = `${folder}/faces/${detection.id}.jpg`;
      await deps.storage.put(frameKey, await deps.media.annotatedFrameJpeg(frame, box));
      await deps.storage.put(faceKey, await deps.media.faceCropJpeg(frame, box));
      await setDetectionImages(deps.db, detection.id, frameKey, faceKey);
      return { frameKey, faceKey };
    }
  } finally {
    await file.release();
  }
  throw notFound('Frame');
}

export async function openDetectionImage(
  deps: SearchFileDeps,
  userId: string,
  searchId: string,
  detectionId: string,
  kind: 'frame' | 'face',
): Promise<FileBody> {
  const search = await requireSearch(deps.db, userId, searchId, 'read');
  const detection = await findDetection(deps.db, searchId, detectionId);
  if (!detection) throw notFound('Detection');
  let keys =
    detection.frame_key && detection.face_key
      ? { frameKey: detection.frame_key, faceKey: detection.face_key }
      : undefined;
  keys ??= await renderDetectionImages(deps, search, detection);
  const key = kind === 'frame' ? keys.frameKey : keys.faceKey;
  const stat = await deps.storage.stat(key);
  if (!stat) throw notFound('Image');
  return { stream: await deps.storage.get(key), contentType: 'image/jpeg', length: stat.sizeBytes };
}

export async function openClip(
  deps: SearchFileDeps,
  userId: string,
  searchId: string,
  appearanceId: string,
  rangeHeader: string | undefined,
): Promise<FileBody> {
  await requireSearch(deps.db, userId, searchId, 'read');
  const appearance = await findAppearance(deps.db, searchId, appearanceId);
  if (!appearance) throw notFound('Appearance');
  if (!appearance.clip_key) throw notFound('Clip (it is made when the video has been analysed)');
  const stat = await deps.storage.stat(appearance.clip_key);
  if (!stat) throw notFound('Clip');
  const range = parseRange(rangeHeader, stat.sizeBytes);
  return {
    stream: await deps.storage.get(appearance.clip_key, range),
    contentType: 'video/mp4',
    length: range ? range.end - range.start + 1 : stat.sizeBytes,
    range: range ? { ...range, total: stat.sizeBytes } : undefined,
  };
}
