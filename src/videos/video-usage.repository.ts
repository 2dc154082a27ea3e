import type { ExpressionBuilder } from 'kysely';
import type { Database, Executor } from '../db/database.js';
import type { SearchStatus } from '../db/tables/search.table.js';

/** A search in one of these states may still read the video's file. */
const ACTIVE_SEARCH_STATUSES: readonly SearchStatus[] = ['queued', 'running', 'paused'];

export async function findActiveSearchIdsOfVideo(db: Executor, videoId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('search_videos')
    .innerJoin('searches', 'searches.id', 'search_videos.search_id')
    .select('searches.id')
    .where('search_videos.video_id', '=', videoId)
    .where('searches.status', 'in', ACTIVE_SEARCH_STATUSES)
    .execute();
  return rows.map((row) => row.id);
}

/** Storage keys of every frame, face crop and clip that searches produced from the video. */
export async function findResultFileKeysOfVideo(db: Executor, videoId: string): Promise<string[]> {
  const detections = await db
    .selectFrom('detections')
    .select(['frame_key', 'face_key'])
    .where('video_id', '=', videoId)
    .execute();
  const appearances = await db
    .selectFrom('appearances')
    .select('clip_key')
    .where('video_id', '=', videoId)
    .execute();
  return [
    ...detections.flatMap((row) => [row.frame_key, row.face_key]),
    ...appearances.map((row) => row.clip_key),
  ].filter((key): key is string => key !== null);
}

/**
 * Removes the video's part of every (finished) search: its detections, appearances and
 * per-video row. A search left without any video has nothing to report and goes too.
 */
export async function deleteSearchResultsOfVideo(db: Executor, videoId: string): Promise<void> {
  const searchIds = (
    await db
      .selectFrom('search_videos')
      .select('search_id')
      .where('video_id', '=', videoId)
      .execute()
  ).map((row) => row.search_id);
  await db.deleteFrom('detections').where('video_id', '=', videoId).execute();
  await db.deleteFrom('appearances').where('video_id', '=', videoId).execute();
  await db.deleteFrom('search_videos').where('video_id', '=', videoId).execute();
  if (searchIds.length === 0) return;
  await db
    .deleteFrom('searches')
    .where('id', 'in', searchIds)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('search_videos')
            .select('search_videos.id')
            .whereRef('search_videos.search_id', '=', 'searches.id'),
        ),
      ),
    )
    .execute();
}

/** True while any search (of any state) uses the video. */
const usedBySearch = (eb: ExpressionBuilder<Database, 'videos'>) =>
  eb.exists(
    eb
      .selectFrom('search_videos')
      .select('search_videos.id')
      .whereRef('search_videos.video_id', '=', 'videos.id'),
  );

/**
 * Footage no search uses that is due for purging: footage of `freedIds` (its searches were just
 * purged with their case), and footage older than `olderThan` whose owner is a member of no open
 * case (status `missing`).
 */
export async function findUnusedFootage(
  db: Executor,
  freedIds: string[],
  olderThan: string,
): Promise<{ id: string; owner_id: string }[]> {
  return db
    .selectFrom('videos')
    .select(['videos.id', 'videos.owner_id'])
    .where((eb) => eb.not(usedBySearch(eb)))
    .where((eb) => {
      const idle = eb.and([
        eb('videos.created_at', '<', olderThan),
        eb.not(
          eb.exists(
            eb
              .selectFrom('case_members')
              .innerJoin('missing_persons', 'missing_persons.id', 'case_members.missing_person_id')
              .select('case_members.user_id')
              .whereRef('case_members.user_id', '=', 'videos.owner_id')
              .where('missing_persons.status', '=', 'missing'),
          ),
        ),
      ]);
      return freedIds.length > 0 ? eb.or([eb('videos.id', 'in', freedIds), idle]) : idle;
    })
    .execute();
}

/** Deletes the video unless a search uses it by now; answers whether it went. */
export async function deleteUnusedVideo(db: Executor, id: string): Promise<boolean> {
  const [result] = await db
    .deleteFrom('videos')
    .where('id', '=', id)
    .where((eb) => eb.not(usedBySearch(eb)))
    .execute();
  return Number(result?.numDeletedRows ?? 0) > 0;
}
