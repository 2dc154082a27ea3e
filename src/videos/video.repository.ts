import { sql } from 'kysely';
import { visibleVideoIds } from '../cases/case-access.repository.js';
import type { Executor } from '../db/database.js';
import type {
  NewVideo,
  VideoKind,
  VideoRow,
  VideoStatus,
  VideoUpdate,
} from '../db/tables/video.table.js';

export interface VideoListFilter {
  kind?: VideoKind;
  status?: VideoStatus;
  /** Matched case-insensitively against the title. */
  q?: string;
  limit: number;
  offset: number;
}

const likePattern = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function insertVideo(db: Executor, row: NewVideo): Promise<void> {
  await db.insertInto('videos').values(row).execute();
}

/** True for the unique-index violation of a second upload of the same file by the same owner. */
export function isDuplicateChecksum(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  // SQLite names the columns, PostgreSQL the index.
  return (
    (code === 'SQLITE_CONSTRAINT_UNIQUE' && text.includes('videos.checksum')) ||
    (code === '23505' && text.includes('videos_owner_checksum_unique'))
  );
}

/** The video when the user uploaded it or sees it through a case shared with them. */
export async function findVisibleVideo(
  db: Executor,
  userId: string,
  id: string,
): Promise<VideoRow | undefined> {
  return db
    .selectFrom('videos')
    .selectAll()
    .where('id', '=', id)
    .where('id', 'in', visibleVideoIds(db, userId))
    .executeTakeFirst();
}

/** For background jobs, which act on an id they were given by an owner-scoped request. */
export async function findVideoById(db: Executor, id: string): Promise<VideoRow | undefined> {
  return db.selectFrom('videos').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findOwnedUploadByChecksum(
  db: Executor,
  ownerId: string,
  checksum: string,
): Promise<VideoRow | undefined> {
  return db
    .selectFrom('videos')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .where('kind', '=', 'upload')
    .where('checksum', '=', checksum)
    .executeTakeFirst();
}

/** The user's own footage and the footage of searches of cases shared with them. */
export async function listVisibleVideos(
  db: Executor,
  userId: string,
  filter: VideoListFilter,
): Promise<{ rows: VideoRow[]; total: number }> {
  let query = db.selectFrom('videos').where('id', 'in', visibleVideoIds(db, userId));
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.q) {
    query = query.where(sql<boolean>`lower(title) like ${likePattern(filter.q)} escape '\\'`);
  }
  const { total } = await query
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = await query
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return { rows, total: Number(total) };
}

export async function updateOwnedVideo(
  db: Executor,
  ownerId: string,
  id: string,
  changes: VideoUpdate,
): Promise<void> {
  await db
    .updateTable('videos')
    .set(changes)
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .execute();
}

/** Returns false when the video no longer exists. */
export async function updateVideoById(
  db: Executor,
  id: string,
  changes: VideoUpdate,
): Promise<boolean> {
  const result = await db
    .updateTable('videos')
    .set(changes)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteOwnedVideo(db: Executor, ownerId: string, id: string): Promise<void> {
  await db.deleteFrom('videos').where('id', '=', id).where('owner_id', '=', ownerId).execute();
}
