import type { Executor } from '../db/database.js';
import type { VideoStatus } from '../db/tables/video.table.js';
import { liveDb, type LiveState, type SearchAlertColumns } from '../db/tables/live.table.js';

/** A live video of a search; callers check access to the search first. */
export interface LiveVideoOfSearch {
  searchId: string;
  searchVideoId: string;
  videoId: string;
}

export async function findLiveVideoOfSearch(
  db: Executor,
  searchId: string,
  videoId: string,
): Promise<LiveVideoOfSearch | undefined> {
  const row = await db
    .selectFrom('search_videos')
    .innerJoin('videos', 'videos.id', 'search_videos.video_id')
    .select(['search_videos.id as search_video_id'])
    .where('search_videos.search_id', '=', searchId)
    .where('search_videos.video_id', '=', videoId)
    .where('videos.kind', '=', 'live')
    .executeTakeFirst();
  return row && { searchId, searchVideoId: row.search_video_id, videoId };
}

export async function findAlertSettings(
  db: Executor,
  searchId: string,
): Promise<SearchAlertColumns | undefined> {
  return liveDb(db)
    .selectFrom('searches')
    .select(['alert_webhook_url', 'alert_webhook_secret', 'alert_email', 'ends_at'])
    .where('id', '=', searchId)
    .executeTakeFirst();
}

export async function updateAlertSettings(
  db: Executor,
  searchId: string,
  update: Partial<SearchAlertColumns> & { updated_at: string },
): Promise<void> {
  await liveDb(db).updateTable('searches').set(update).where('id', '=', searchId).execute();
}

export interface LiveStateUpdate {
  live_state?: LiveState;
  live_lag_ms?: number;
  live_dropped_frames?: number;
  live_reconnects?: number;
  live_error?: string | null;
}

export async function updateLiveState(
  db: Executor,
  searchVideoId: string,
  update: LiveStateUpdate,
): Promise<void> {
  await liveDb(db)
    .updateTable('search_videos')
    .set(update)
    .where('id', '=', searchVideoId)
    .execute();
}

export async function setVideoStatus(
  db: Executor,
  videoId: string,
  status: VideoStatus,
  updatedAt: string,
): Promise<void> {
  await db
    .updateTable('videos')
    .set({ status, updated_at: updatedAt })
    .where('id', '=', videoId)
    .where('kind', '=', 'live')
    .execute();
}

export interface LiveVideoRow {
  video_id: string;
  title: string;
  status: string;
  live_state: LiveState | null;
  live_lag_ms: number | null;
  live_dropped_frames: number | null;
  live_reconnects: number | null;
  live_error: string | null;
}

export async function listLiveVideos(db: Executor, searchId: string): Promise<LiveVideoRow[]> {
  return liveDb(db)
    .selectFrom('search_videos')
    .innerJoin('videos', 'videos.id', 'search_videos.video_id')
    .select([
      'search_videos.video_id',
      'videos.title',
      'search_videos.status',
      'search_videos.live_state',
      'search_videos.live_lag_ms',
      'search_videos.live_dropped_frames',
      'search_videos.live_reconnects',
      'search_videos.live_error',
    ])
    .where('search_videos.search_id', '=', searchId)
    .where('videos.kind', '=', 'live')
    .orderBy('videos.title')
    .execute();
}

export async function findPersonName(
  db: Executor,
  id: string,
): Promise<{ id: string; firstName: string; lastName: string } | undefined> {
  const row = await db
    .selectFrom('missing_persons')
    .select(['id', 'first_name', 'last_name'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { id: row.id, firstName: row.first_name, lastName: row.last_name };
}
