import type { Executor } from '../db/database.js';
import type { SearchStatus } from '../db/tables/search.table.js';

/** A search in one of these states still reads the case's embeddings or the video's file. */
export const ACTIVE_SEARCH_STATUSES: readonly SearchStatus[] = ['queued', 'running', 'paused'];

const searchesOfCase = (db: Executor, missingPersonId: string) =>
  db.selectFrom('searches').select('id').where('missing_person_id', '=', missingPersonId);

export async function findActiveSearchIdsOfCase(
  db: Executor,
  missingPersonId: string,
): Promise<string[]> {
  const rows = await searchesOfCase(db, missingPersonId)
    .where('status', 'in', ACTIVE_SEARCH_STATUSES)
    .execute();
  return rows.map((row) => row.id);
}

/** The case's searches with who started them: a search's files live under its owner's folder. */
export async function findSearchesOfCase(
  db: Executor,
  missingPersonId: string,
): Promise<{ id: string; owner_id: string }[]> {
  return searchesOfCase(db, missingPersonId).select('owner_id').execute();
}

/** The footage the given searches used. */
export async function findVideoIdsOfSearches(db: Executor, searchIds: string[]): Promise<string[]> {
  if (searchIds.length === 0) return [];
  const rows = await db
    .selectFrom('search_videos')
    .select('video_id')
    .distinct()
    .where('search_id', 'in', searchIds)
    .execute();
  return rows.map((row) => row.video_id);
}

/** Storage keys of every frame, face crop and clip the given searches produced. */
export async function findSearchFileKeys(db: Executor, searchIds: string[]): Promise<string[]> {
  if (searchIds.length === 0) return [];
  const detections = await db
    .selectFrom('detections')
    .select(['frame_key', 'face_key'])
    .where('search_id', 'in', searchIds)
    .execute();
  const appearances = await db
    .selectFrom('appearances')
    .select('clip_key')
    .where('search_id', 'in', searchIds)
    .execute();
  return [
    ...detections.flatMap((row) => [row.frame_key, row.face_key]),
    ...appearances.map((row) => row.clip_key),
  ].filter((key): key is string => key !== null);
}

/** Deletes the searches with their per-video rows, appearances and detections. */
export async function deleteSearches(db: Executor, searchIds: string[]): Promise<void> {
  if (searchIds.length === 0) return;
  await db.deleteFrom('detections').where('search_id', 'in', searchIds).execute();
  await db.deleteFrom('appearances').where('search_id', 'in', searchIds).execute();
  await db.deleteFrom('search_videos').where('search_id', 'in', searchIds).execute();
  await db.deleteFrom('searches').where('id', 'in', searchIds).execute();
}
