import type { Executor } from '../db/database.js';
import type { SearchStatus } from '../db/tables/search.table.js';

/** Searches that hold (or wait for) analysis capacity; a paused one holds none until resumed. */
const ACTIVE: SearchStatus[] = ['queued', 'running'];

export async function countActiveSearches(db: Executor, ownerId: string): Promise<number> {
  const { total } = await db
    .selectFrom('searches')
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .where('owner_id', '=', ownerId)
    .where('status', 'in', ACTIVE)
    .executeTakeFirstOrThrow();
  return Number(total);
}

/** The live feeds the user's active searches are watching now. */
export async function watchedLiveFeeds(db: Executor, ownerId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('search_videos')
    .innerJoin('searches', 'searches.id', 'search_videos.search_id')
    .innerJoin('videos', 'videos.id', 'search_videos.video_id')
    .select('videos.id')
    .distinct()
    .where('searches.owner_id', '=', ownerId)
    .where('searches.status', 'in', ACTIVE)
    .where('search_videos.status', 'in', ACTIVE)
    .where('videos.kind', '=', 'live')
    .execute();
  return rows.map((row) => row.id);
}

/** Which of `videoIds` are live feeds. */
export async function liveFeedsAmong(db: Executor, videoIds: string[]): Promise<string[]> {
  if (videoIds.length === 0) return [];
  const rows = await db
    .selectFrom('videos')
    .select('id')
    .where('id', 'in', videoIds)
    .where('kind', '=', 'live')
    .execute();
  return rows.map((row) => row.id);
}

/** The videos of one of the user's searches. */
export async function searchVideoIds(
  db: Executor,
  ownerId: string,
  searchId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('search_videos')
    .innerJoin('searches', 'searches.id', 'search_videos.search_id')
    .select('search_videos.video_id')
    .where('searches.id', '=', searchId)
    .where('searches.owner_id', '=', ownerId)
    .execute();
  return rows.map((row) => row.video_id);
}
