import { recordAudit } from '../audit/audit.service.js';
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

/** The video as `viewerId` sees it (`owned` tells their own footage from a shared case's). */
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

export async function getVideo(db: Executor, userId: string, id: string): Promise<VideoView> {
  return toVideoView(await requireVideo(db, userId, id, 'read'), userId);
}

export async function listVideos(
  db: Db,
  userId: string,
  query: ListVideosQuery,
): Promise<{ items: VideoView[]; page: number; pageSize: number; total: number }> {
  const { rows, total } = await listVisibleVideos(db, userId, {
    kind: query.kind,
    status: query.status,
    q: query.q,
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  const items = rows.map((row) => toVideoView(row, userId));
  return { items, page: query.page, pageSize: query.pageSize, total };
}

async function updateVideo(
  db: Db,
  actor: Actor,
  id: string,
  changes: VideoUpdate,
): Promise<VideoView> {
  await db.transaction().execute(async (trx) => {
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
  return getVideo(db, actor.userId, id);
}

export function replaceVideo(
  db: Db,
  actor: Actor,
  id: string,
  input: ReplaceVideoInput,
): Promise<VideoView> {
  return updateVideo(db, actor, id, {
    title: input.title,
    description: input.description ?? null,
  });
}

export function patchVideo(
  db: Db,
  actor: Actor,
  id: string,
  input: PatchVideoInput,
): Promise<VideoView> {
  const changes: VideoUpdate = {};
  if (input.title !== undefined) changes.title = input.title;
  if (input.description !== undefined) changes.description = input.description;
  return updateVideo(db, actor, id, changes);
}

/**
 * Stores a live camera URL whose address the camera policy allows (URL_NOT_ALLOWED otherwise);
 * connecting to it and analysing it is the live-feed worker's job.
 */
export async function registerLiveFeed(
  { db, outbound }: Pick<VideoDeps, 'db' | 'outbound'>,
  actor: Actor,
  input: LiveFeedInput,
): Promise<VideoView> {
  const url = parseLiveFeedUrl(input.url);
  await refuseDisallowedUrl(outbound.liveFeeds, url);
  const id = newId();
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    await insertVideo(trx, {
      id,
      owner_id: actor.userId,
      title: input.title,
      description: input.description ?? null,
      kind: 'live',
      source_url: url,
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
  return getVideo(db, actor.userId, id);
}

/** Deleting footage removes its rows and files and cancels its rendition job. */
export interface VideoDeps {
  db: Db;
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
