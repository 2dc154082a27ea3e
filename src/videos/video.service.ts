import { recordAudit } from '../audit/audit.service.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { userScope } from '../crypto/keyring.js';
import { openColumns } from '../crypto/sealed-columns.js';
import type { Db, Executor } from '../db/database.js';
import type { JobQueue } from '../jobs/job.types.js';
import { refuseDisallowedUrl, type OutboundPolicies } from '../net/outbound-policy.js';
import { AppError, notFound } from '../shared/app-error.js';
import { newId, nowIso } from '../shared/clock.js';
import type { Storage } from '../storage/storage.types.js';
import { maskLiveFeedUrl, parseLiveFeedUrl } from './live-feed.url.js';
import {
  deleteSearchResultsOfVideo,
  findActiveSearchIdsOfVideo,
  findResultFileKeysOfVideo,
} from './video-usage.repository.js';
import {
  deleteOwnedVideo,
  findVisibleVideo,
  insertVideo,
  listVisibleVideos,
  updateOwnedVideo,
} from './video.repository.js';
import type {
  ListVideosQuery,
  LiveFeedInput,
  PatchVideoInput,
  ReplaceVideoInput,
  VideoView,
} from './video.schema.js';
import type { VideoRow, VideoUpdate } from '../db/tables/video.table.js';

/** Who acts, for access checks and the audit trail. */
export interface Actor {
  userId: string;
  ip: string;
}

/** Every file of a video (original, poster, rendition) lives under this prefix. */
export const videoFolder = (ownerId: string, videoId: string) =>
  `users/${ownerId}/videos/${videoId}/`;

export const renditionJobKey = (videoId: string) => `video-rendition:${videoId}`;

/**
 * Footage columns sealed with the owner's data key: a live feed's URL carries the camera's
 * credentials, an upload's file name may name a person. Title and description stay plain (the
 * footage list searches titles), so they should not hold personal details.
 */
export const SEALED_VIDEO_COLUMNS = ['source_url', 'original_name'] as const;

/** The row with its sealed columns opened (for the view, or to connect to the camera). */
export function openVideoRow<T extends Pick<VideoRow, 'owner_id' | 'source_url' | 'original_name'>>(
  fields: FieldCipher,
  row: T,
): Promise<T> {
  return openColumns(fields, userScope(row.owner_id), row, SEALED_VIDEO_COLUMNS);
}

/** Reading footage: sealed columns are opened with the owner's data key. */
export interface VideoReadDeps {
  db: Executor;
  fields: FieldCipher;
}

/**
 * The video as `viewerId` sees it (`owned` tells their own footage from a shared case's), from a
 * row opened with `openVideoRow`.
 */
export function toVideoView(row: VideoRow, viewerId: string): VideoView {
  const hasFile = row.kind === 'upload' && row.storage_key !== null;
  return {
    id: row.id,
    owned: row.owner_id === viewerId,
    kind: row.kind,
    status: row.status,
    title: row.title,
    description: row.description,
    durationMs: row.duration_ms,
    fps: row.fps,
    width: row.width,
    height: row.height,
    codec: row.codec,
    sizeBytes: row.size_bytes,
    checksum: row.checksum,
    sourceUrl: row.source_url === null ? null : maskLiveFeedUrl(row.source_url),
    posterUrl: row.poster_key ? `/api/videos/${row.id}/poster` : null,
    streamUrl: hasFile ? `/api/videos/${row.id}/stream` : null,
    playback: { status: row.playback_status, progress: row.playback_progress },
    error: row.error_code ? { code: row.error_code, message: row.error_message } : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The video row when the user may `read` it (their own, or footage of a search of a case shared
 * with them) or `own` it (change, delete: the uploader only). NOT_FOUND when they cannot see it,
 * FORBIDDEN when they see it but do not own it.
 */
export async function requireVideo(
  db: Executor,
  userId: string,
  id: string,
  access: 'read' | 'own',
): Promise<VideoRow> {
  const row = await findVisibleVideo(db, userId, id);
  if (!row) throw notFound('Video');
  if (access === 'own' && row.owner_id !== userId) {
    throw new AppError('FORBIDDEN', 'Only the user who added this footage may change it');
  }
  return row;
}

export async function getVideo(
  deps: VideoReadDeps,
  userId: string,
  id: string,
): Promise<VideoView> {
  const row = await requireVideo(deps.db, userId, id, 'read');
  return toVideoView(await openVideoRow(deps.fields, row), userId);
}

export async function listVideos(
  deps: VideoReadDeps,
  userId: string,
  query: ListVideosQuery,
): Promise<{ items: VideoView[]; page: number; pageSize: number; total: number }> {
  const { rows, total } = await listVisibleVideos(deps.db, userId, {
    kind: query.kind,
    status: query.status,
    q: query.q,
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  const items: VideoView[] = [];
  for (const row of rows) items.push(toVideoView(await openVideoRow(deps.fields, row), userId));
  return { items, page: query.page, pageSize: query.pageSize, total };
}

async function updateVideo(
  deps: VideoWriteDeps,
  actor: Actor,
  id: string,
  changes: VideoUpdate,
): Promise<VideoView> {
  await deps.db.transaction().execute(async (trx) => {
    await requireVideo(trx, actor.userId, id, 'own');
    await updateOwnedVideo(trx, actor.userId, id, { ...changes, updated_at: nowIso() });
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'video.update',
      targetType: 'video',
      targetId: id,
      description: `Changed ${Object.keys(changes).join(', ')}`,
      ip: actor.ip,
    });
  });
  return getVideo(deps, actor.userId, id);
}

/** Changing footage: the answer is the video as read back. */
export interface VideoWriteDeps {
  db: Db;
  fields: FieldCipher;
}

export function replaceVideo(
  deps: VideoWriteDeps,
  actor: Actor,
  id: string,
  input: ReplaceVideoInput,
): Promise<VideoView> {
  return updateVideo(deps, actor, id, {
    title: input.title,
    description: input.description ?? null,
  });
}

export function patchVideo(
  deps: VideoWriteDeps,
  actor: Actor,
  id: string,
  input: PatchVideoInput,
): Promise<VideoView> {
  const changes: VideoUpdate = {};
  if (input.title !== undefined) changes.title = input.title;
  if (input.description !== undefined) changes.description = input.description;
  return updateVideo(deps, actor, id, changes);
}

/**
 * Stores a live camera URL whose address the camera policy allows (URL_NOT_ALLOWED otherwise);
 * connecting to it and analysing it is the live-feed worker's job.
 */
export async function registerLiveFeed(
  deps: Pick<VideoDeps, 'db' | 'outbound' | 'fields'>,
  actor: Actor,
  input: LiveFeedInput,
): Promise<VideoView> {
  const url = parseLiveFeedUrl(input.url);
  await refuseDisallowedUrl(deps.outbound.liveFeeds, url);
  const id = newId();
  const now = nowIso();
  const sourceUrl = await deps.fields.sealText(userScope(actor.userId), url);
  await deps.db.transaction().execute(async (trx) => {
    await insertVideo(trx, {
      id,
      owner_id: actor.userId,
      title: input.title,
      description: input.description ?? null,
      kind: 'live',
      source_url: sourceUrl,
      status: 'ready',
      playback_status: 'none',
      created_at: now,
      updated_at: now,
    });
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'video.live.create',
      targetType: 'video',
      targetId: id,
      description: `Registered live feed ${maskLiveFeedUrl(url)}`,
      ip: actor.ip,
    });
  });
  return getVideo(deps, actor.userId, id);
}

/** Deleting footage removes its rows and files and cancels its rendition job. */
export interface VideoDeps extends VideoWriteDeps {
  storage: Storage;
  queue: Pick<JobQueue, 'cancel'>;
  outbound: OutboundPolicies;
}

/**
 * Deletes the video, its files and its part of every finished search (detections, appearances,
 * frames, clips). Refuses with IN_USE while a queued, running or paused search uses it.
 */
export async function deleteVideo(deps: VideoDeps, actor: Actor, id: string): Promise<void> {
  const resultFiles = await deps.db.transaction().execute(async (trx) => {
    const video = await requireVideo(trx, actor.userId, id, 'own');
    const active = await findActiveSearchIdsOfVideo(trx, id);
    if (active.length > 0) {
      throw new AppError(
        'IN_USE',
        'A search using this video is still queued, running or paused; cancel it first',
        { searchIds: active },
      );
    }
    const keys = await findResultFileKeysOfVideo(trx, id);
    await deleteSearchResultsOfVideo(trx, id);
    await deleteOwnedVideo(trx, actor.userId, id);
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'video.delete',
      targetType: 'video',
      targetId: id,
      description: `Deleted ${video.kind === 'live' ? 'live feed' : 'video'} "${video.title}"`,
      ip: actor.ip,
    });
    return keys;
  });
  await deps.queue.cancel(renditionJobKey(id));
  // Files go after the commit: a failed transaction must not leave rows pointing at lost files.
  await deps.storage.deletePrefix(videoFolder(actor.userId, id));
  await Promise.all(resultFiles.map((key) => deps.storage.delete(key)));
}
