import type { Readable } from 'node:stream';
import { recordAudit } from '../audit/audit.service.js';
import type { Config } from '../config.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { userScope } from '../crypto/keyring.js';
import type { Db } from '../db/database.js';
import type { JobQueue } from '../jobs/job.types.js';
import type { MediaAdapter, VideoInfo } from '../media/media.types.js';
import { quotaExceeded, remainingQuota } from '../quota/quota.service.js';
import { AppError, isAppError } from '../shared/app-error.js';
import { newId, nowIso } from '../shared/clock.js';
import type { PutResult, Storage } from '../storage/storage.types.js';
import {
  renditionJobKey,
  openVideoRow,
  requireVideo,
  toVideoView,
  videoFolder,
  type Actor,
} from './video.service.js';
import { findOwnedUploadByChecksum, insertVideo, isDuplicateChecksum } from './video.repository.js';
import type { VideoView } from './video.schema.js';

/** An upload is stored, probed with ffprobe, recorded, and its rendition queued. */
export interface UploadDeps {
  db: Db;
  storage: Storage;
  queue: JobQueue;
  config: Config;
  media: MediaAdapter;
  fields: FieldCipher;
}

/** An upload streamed to storage but not yet checked: the id its files are stored under. */
export interface StoredUpload extends PutResult {
  videoId: string;
}

export interface UploadDetails {
  title: string;
  description: string | null;
  originalName: string | null;
}

/** Containers by ffprobe's format name, for the Content-Type the stream is served with. */
const MIME_BY_FORMAT: [RegExp, string][] = [
  [/(^|,)mp4(,|$)/, 'video/mp4'],
  [/(^|,)webm(,|$)/, 'video/webm'],
  [/(^|,)matroska(,|$)/, 'video/x-matroska'],
  [/(^|,)avi(,|$)/, 'video/x-msvideo'],
  [/(^|,)mpegts(,|$)/, 'video/mp2t'],
  [/(^|,)mpeg(,|$)/, 'video/mpeg'],
  [/(^|,)flv(,|$)/, 'video/x-flv'],
  [/(^|,)asf(,|$)/, 'video/x-ms-asf'],
];

const mimeOf = (info: VideoInfo) =>
  MIME_BY_FORMAT.find(([pattern]) => pattern.test(info.formatName))?.[1] ??
  'application/octet-stream';

/** Poster frame a little into the video, past black first frames and fade-ins. */
const posterTimeMs = (info: VideoInfo) => Math.min(info.durationMs * 0.1, 3000);

/**
 * Streams an upload into storage under a new server-generated key, never holding it in memory.
 * More than MAX_VIDEO_BYTES fails with PAYLOAD_TOO_LARGE, more than the owner's storage quota
 * leaves with QUOTA_EXCEEDED; either way the write stops there and leaves nothing stored.
 */
export async function storeUpload(
  deps: Pick<UploadDeps, 'db' | 'storage' | 'config'>,
  ownerId: string,
  source: Readable,
): Promise<StoredUpload> {
  const quota = await remainingQuota(deps, ownerId);
  if (quota?.remainingBytes === 0) throw quotaExceeded(quota);
  const quotaBinds = quota !== undefined && quota.remainingBytes < deps.config.MAX_VIDEO_BYTES;
  const videoId = newId();
  const stored = await deps.storage
    .put(`${videoFolder(ownerId, videoId)}original`, source, {
      maxBytes: quotaBinds ? quota.remainingBytes : deps.config.MAX_VIDEO_BYTES,
    })
    .catch((error: unknown) => {
      if (quotaBinds && isAppError(error) && error.code === 'PAYLOAD_TOO_LARGE') {
        throw quotaExceeded(quota);
      }
      throw error;
    });
  return { ...stored, videoId };
}

/**
 * Footage too large to decode safely is refused before any frame of it is decoded: a small file
 * may declare a huge picture (12000×12000 is 412 MiB per RGB frame) or days of video.
 */
function refuseBeyondLimits(config: UploadDeps['config'], info: VideoInfo): void {
  const exceeded = (limit: string, max: number, actual: number) =>
    new AppError('MEDIA_LIMIT_EXCEEDED', `The video exceeds ${limit} (${actual} > ${max})`, {
      limit,
      max,
      actual,
    });
  const longestSide = Math.max(info.width, info.height);
  if (longestSide > config.MAX_VIDEO_SIDE) {
    throw exceeded('MAX_VIDEO_SIDE', config.MAX_VIDEO_SIDE, longestSide);
  }
  if (info.width * info.height > config.MAX_VIDEO_PIXELS) {
    throw exceeded('MAX_VIDEO_PIXELS', config.MAX_VIDEO_PIXELS, info.width * info.height);
  }
  if (info.durationMs > config.MAX_VIDEO_SECONDS * 1000) {
    throw exceeded('MAX_VIDEO_SECONDS', config.MAX_VIDEO_SECONDS, info.durationMs / 1000);
  }
}

/** Removes an upload that will not become a video. */
export async function discardUpload(
  deps: Pick<UploadDeps, 'storage'>,
  ownerId: string,
  upload: StoredUpload,
): Promise<void> {
  await deps.storage.deletePrefix(videoFolder(ownerId, upload.videoId));
}

/** Throws DUPLICATE_VIDEO, with the existing video's id, when the owner already has this file. */
async function refuseDuplicate(deps: UploadDeps, ownerId: string, sha256: string): Promise<void> {
  const duplicate = await findOwnedUploadByChecksum(deps.db, ownerId, sha256);
  if (duplicate) {
    throw new AppError(
      'DUPLICATE_VIDEO',
      `You already uploaded this file as "${duplicate.title}"`,
      {
        videoId: duplicate.id,
      },
    );
  }
}

/** ffprobe's messages name the file it read: the client must not learn where uploads live. */
function withoutServerPath(error: AppError, localPath: string): AppError {
  if (error.details === undefined) return error;
  const scrubbed = JSON.stringify(error.details)
    .replaceAll(`file:${localPath}`, 'upload')
    .replaceAll(localPath, 'upload');
  return new AppError(error.code, error.message, JSON.parse(scrubbed) as unknown);
}

async function inspect(deps: UploadDeps, actor: Actor, upload: StoredUpload) {
  await refuseDuplicate(deps, actor.userId, upload.sha256);
  const local = await deps.storage.openLocal(upload.key);
  try {
    const info = await deps.media.probeVideo(local.path);
    refuseBeyondLimits(deps.config, info);
    const poster = await deps.media.extractPoster(local.path, { atMs: posterTimeMs(info), info });
    return { info, poster };
  } catch (error) {
    throw isAppError(error) ? withoutServerPath(error, local.path) : error;
  } finally {
    await local.release();
  }
}

/**
 * Turns a stored upload into a video: validated by ffprobe (never by its name), recognised as a
 * duplicate by checksum, given a poster, and — when browsers cannot play it — a queued
 * rendition job. On any failure the upload's files are deleted and nothing is recorded.
 */
export async function completeUpload(
  deps: UploadDeps,
  actor: Actor,
  upload: StoredUpload,
  details: UploadDetails,
): Promise<VideoView> {
  const id = upload.videoId;
  try {
    const { info, poster } = await inspect(deps, actor, upload);
    const posterKey = `${videoFolder(actor.userId, id)}poster.jpg`;
    await deps.storage.put(posterKey, poster);
    const now = nowIso();
    const originalName = await deps.fields.sealText(userScope(actor.userId), details.originalName);
    await deps.db
      .transaction()
      .execute(async (trx) => {
        await insertVideo(trx, {
          id,
          owner_id: actor.userId,
          title: details.title,
          description: details.description,
          kind: 'upload',
          storage_key: upload.key,
          original_name: originalName,
          mime_type: mimeOf(info),
          duration_ms: info.durationMs,
          fps: info.fps,
          width: info.width,
          height: info.height,
          codec: info.codec,
          rotation: info.rotation,
          size_bytes: upload.sizeBytes,
          checksum: upload.sha256,
          status: 'ready',
          poster_key: posterKey,
          playback_status: info.browserPlayable ? 'none' : 'pending',
          playback_progress: info.browserPlayable ? null : 0,
          created_at: now,
          updated_at: now,
        });
        await recordAudit(trx, {
          userId: actor.userId,
          action: 'video.upload',
          targetType: 'video',
          targetId: id,
          description: `Uploaded "${details.title}" (${upload.sizeBytes} bytes, ${info.codec})`,
          ip: actor.ip,
        });
      })
      .catch(async (error: unknown) => {
        // The same file finished uploading in another request since the check above.
        if (isDuplicateChecksum(error)) await refuseDuplicate(deps, actor.userId, upload.sha256);
        throw error;
      });
  } catch (error) {
    await discardUpload(deps, actor.userId, upload);
    throw error;
  }
  const video = await requireVideo(deps.db, actor.userId, id, 'own');
  if (video.playback_status === 'pending') {
    // Analysis never waits for this: the rendition is only for people watching in a browser.
    await deps.queue.enqueue(
      'video.make-rendition',
      { videoId: id },
      { dedupeKey: renditionJobKey(id), priority: -10 },
    );
  }
  return toVideoView(await openVideoRow(deps.fields, video), actor.userId);
}
