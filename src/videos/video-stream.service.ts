import type { Readable } from 'node:stream';
import type { Db } from '../db/database.js';
import { AppError, notFound } from '../shared/app-error.js';
import type { Storage } from '../storage/storage.types.js';
import { parseRangeHeader } from './byte-range.parser.js';
import { requireVideo } from './video.service.js';

export interface VideoBytes {
  status: 200 | 206;
  stream: Readable;
  contentType: string;
  contentLength: number;
  /** `bytes start-end/size` for a 206. */
  contentRange?: string;
}

/**
 * The bytes a player should get: the browser rendition once it is ready, else the upload as it
 * is. Throws NOT_FOUND for footage the user cannot see or a live feed, and a 416 error (with the size)
 * for a range outside the file.
 */
export async function openVideoStream(
  deps: { db: Db; storage: Storage },
  userId: string,
  id: string,
  rangeHeader: string | undefined,
): Promise<VideoBytes> {
  const video = await requireVideo(deps.db, userId, id, 'read');
  const useRendition = video.playback_status === 'ready' && video.playback_key !== null;
  const key = useRendition ? video.playback_key : video.storage_key;
  if (key === null) throw notFound('Video file');
  const stored = await deps.storage.stat(key);
  if (!stored) throw notFound('Video file');
  const contentType = useRendition ? 'video/mp4' : (video.mime_type ?? 'application/octet-stream');

  const request = parseRangeHeader(rangeHeader, stored.sizeBytes);
  switch (request.kind) {
    case 'whole':
      return {
        status: 200,
        stream: await deps.storage.get(key),
        contentType,
        contentLength: stored.sizeBytes,
      };
    case 'range': {
      const { start, end } = request.range;
      return {
        status: 206,
        stream: await deps.storage.get(key, request.range),
        contentType,
        contentLength: end - start + 1,
        contentRange: `bytes ${start}-${end}/${stored.sizeBytes}`,
      };
    }
    case 'unsatisfiable':
      throw new AppError(
        'RANGE_NOT_SATISFIABLE',
        `The range is outside the ${stored.sizeBytes}-byte file`,
        {
          sizeBytes: stored.sizeBytes,
        },
      );
  }
}

export async function openVideoPoster(
  deps: { db: Db; storage: Storage },
  userId: string,
  id: string,
): Promise<{ stream: Readable; contentLength: number }> {
  const video = await requireVideo(deps.db, userId, id, 'read');
  const stored = video.poster_key ? await deps.storage.stat(video.poster_key) : undefined;
  if (!video.poster_key || !stored) throw notFound('Poster');
  return { stream: await deps.storage.get(video.poster_key), contentLength: stored.sizeBytes };
}
