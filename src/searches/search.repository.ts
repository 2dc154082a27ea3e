import { usableVideoIds, visibleCaseIds } from '../cases/case-access.repository.js';
import type { Executor } from '../db/database.js';
import type {
  NewSearch,
  SearchRow,
  SearchStatus,
  SearchUpdate,
  SearchVideoRow,
  SearchVideosTable,
  SearchVideoStatus,
} from '../db/tables/search.table.js';
import type { Insertable, Updateable } from 'kysely';
import type { VideoRow } from '../db/tables/video.table.js';

/** A search video joined with what the API shows of its footage. */
export interface SearchVideoWithMedia extends SearchVideoRow {
  title: string;
  kind: 'upload' | 'live';
  width: number | null;
  height: number | null;
  poster_key: string | null;
  video_duration_ms: number | null;
}

export interface SearchWithPerson extends SearchRow {
  first_name: string;
  last_name: string;
}

export async function insertSearch(db: Executor, row: NewSearch): Promise<void> {
  await db.insertInto('searches').values(row).execute();
}

export async function insertSearchVideos(
  db: Executor,
  rows: Insertable<SearchVideosTable>[],
): Promise<void> {
  await db.insertInto('search_videos').values(rows).execute();
}

const withPerson = (db: Executor) =>
  db
    .selectFrom('searches')
    .innerJoin('missing_persons', 'missing_persons.id', 'searches.missing_person_id')
    .selectAll('searches')
    .select(['missing_persons.first_name', 'missing_persons.last_name']);

/** The search by id, unscoped: callers check the user's role in its case first (case-access). */
/**
 * The search by id with the user's role in its case (undefined when they are no member), in one
 * read: every request for a search's results starts with it.
 */
export async function findSearchWithRole(db: Executor, userId: string, id: string) {
  return withPerson(db)
    .leftJoin('case_members', (join) =>
      join
        .onRef('case_members.missing_person_id', '=', 'searches.missing_person_id')
        .on('case_members.user_id', '=', userId),
    )
    .select('case_members.role')
    .where('searches.id', '=', id)
    .executeTakeFirst();
}

export async function findSearch(db: Executor, id: string): Promise<SearchRow | undefined> {
  return db.selectFrom('searches').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface SearchListFilter {
  statuses?: SearchStatus[];
  /** Only the searches of this case. */
  missingPersonId?: string;
  limit: number;
  offset: number;
}

/** The searches of every case the user is a member of. */
export async function listVisibleSearches(
  db: Executor,
  userId: string,
  filter: SearchListFilter,
): Promise<{ rows: SearchWithPerson[]; total: number }> {
  const cases = visibleCaseIds(db, userId);
  let rows = withPerson(db).where('searches.missing_person_id', 'in', cases);
  let count = db
    .selectFrom('searches')
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .where('missing_person_id', 'in', cases);
  if (filter.statuses) {
    rows = rows.where('searches.status', 'in', filter.statuses);
    count = count.where('status', 'in', filter.statuses);
  }
  if (filter.missingPersonId) {
    rows = rows.where('searches.missing_person_id', '=', filter.missingPersonId);
    count = count.where('missing_person_id', '=', filter.missingPersonId);
  }
  const [items, totalRow] = await Promise.all([
    rows
      .orderBy('searches.created_at', 'desc')
      .orderBy('searches.id', 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    count.executeTakeFirstOrThrow(),
  ]);
  return { rows: items, total: Number(totalRow.total) };
}

export async function listSearchVideos(
  db: Executor,
  searchIds: string[],
): Promise<SearchVideoWithMedia[]> {
  if (searchIds.length === 0) return [];
  return db
    .selectFrom('search_videos')
    .innerJoin('videos', 'videos.id', 'search_videos.video_id')
    .selectAll('search_videos')
    .select([
      'videos.title',
      'videos.kind',
      'videos.width',
      'videos.height',
      'videos.poster_key',
      'videos.duration_ms as video_duration_ms',
    ])
    .where('search_videos.search_id', 'in', searchIds)
    .orderBy('search_videos.created_at')
    .orderBy('videos.title')
    .execute();
}

export async function findSearchVideo(
  db: Executor,
  searchId: string,
  videoId: string,
): Promise<SearchVideoRow | undefined> {
  return db
    .selectFrom('search_videos')
    .selectAll()
    .where('search_id', '=', searchId)
    .where('video_id', '=', videoId)
    .executeTakeFirst();
}

/** Appearance counts per search, for list items. */
export async function countAppearancesBySearch(
  db: Executor,
  searchIds: string[],
): Promise<Map<string, number>> {
  if (searchIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('appearances')
    .select(['search_id', (eb) => eb.fn.countAll<number>().as('count')])
    .where('search_id', 'in', searchIds)
    .groupBy('search_id')
    .execute();
  return new Map(rows.map((row) => [row.search_id, Number(row.count)]));
}

/**
 * Changes the search's status only when it is currently one of `from`; returns whether it did, so
 * two concurrent transitions cannot both win.
 */
export async function transitionSearch(
  db: Executor,
  id: string,
  from: SearchStatus[],
  update: SearchUpdate,
): Promise<boolean> {
  const result = await db
    .updateTable('searches')
    .set(update)
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Same guarded update for one search video; the analysis job relies on it to notice a pause. */
export async function transitionSearchVideo(
  db: Executor,
  id: string,
  from: SearchVideoStatus[],
  update: Updateable<SearchVideosTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('search_videos')
    .set(update)
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Moves every video of a search that is in `from` to `to`; returns the ids of the videos moved. */
export async function transitionSearchVideos(
  db: Executor,
  searchId: string,
  from: SearchVideoStatus[],
  update: Updateable<SearchVideosTable> & { status: SearchVideoStatus },
): Promise<string[]> {
  const moved = await db
    .selectFrom('search_videos')
    .select('video_id')
    .where('search_id', '=', searchId)
    .where('status', 'in', from)
    .execute();
  if (moved.length === 0) return [];
  await db
    .updateTable('search_videos')
    .set(update)
    .where('search_id', '=', searchId)
    .where('status', 'in', from)
    .execute();
  return moved.map((row) => row.video_id);
}

export async function searchVideoStatuses(
  db: Executor,
  searchId: string,
): Promise<SearchVideoStatus[]> {
  const rows = await db
    .selectFrom('search_videos')
    .select('status')
    .where('search_id', '=', searchId)
    .execute();
  return rows.map((row) => row.status);
}

/** Those of the given videos the user may search for the case (see `usableVideoIds`). */
export async function findUsableVideos(
  db: Executor,
  userId: string,
  missingPersonId: string,
  ids: string[],
): Promise<VideoRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('videos')
    .selectAll()
    .where('id', 'in', ids)
    .where('id', 'in', usableVideoIds(db, userId, missingPersonId))
    .execute();
}

export async function findVideo(db: Executor, id: string): Promise<VideoRow | undefined> {
  return db.selectFrom('videos').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findSearchVideoById(
  db: Executor,
  id: string,
): Promise<SearchVideoRow | undefined> {
  return db.selectFrom('search_videos').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Records when analysis of the search first started; later calls keep the first time. */
export async function markSearchStarted(db: Executor, id: string, now: string): Promise<void> {
  await db
    .updateTable('searches')
    .set({ started_at: now, updated_at: now })
    .where('id', '=', id)
    .where('started_at', 'is', null)
    .execute();
}
