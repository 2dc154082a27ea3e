import type { Insertable } from 'kysely';
import type { Executor } from '../db/database.js';
import type {
  AppearanceRow,
  AppearancesTable,
  DetectionRow,
  DetectionsTable,
} from '../db/tables/search.table.js';

/** An appearance with the box and time of its best detection. */
export interface AppearanceWithBest extends AppearanceRow {
  best_time_ms: number | null;
  box_x: number | null;
  box_y: number | null;
  box_width: number | null;
  box_height: number | null;
}

/** An appearance as an analysis writes it; its best detection is chosen afterwards. */
export type AppearanceUpsert = Pick<
  AppearancesTable,
  | 'id'
  | 'search_id'
  | 'search_video_id'
  | 'video_id'
  | 'track_key'
  | 'start_ms'
  | 'end_ms'
  | 'best_score'
> & { now: string };

/** Inserts the appearance of a track or grows the existing one; returns the stored id. */
export async function upsertAppearance(db: Executor, row: AppearanceUpsert): Promise<string> {
  await db
    .insertInto('appearances')
    .values({
      id: row.id,
      search_id: row.search_id,
      search_video_id: row.search_video_id,
      video_id: row.video_id,
      track_key: row.track_key,
      start_ms: row.start_ms,
      end_ms: row.end_ms,
      best_score: row.best_score,
      detection_count: 0,
      created_at: row.now,
      updated_at: row.now,
    })
    .onConflict((oc) =>
      oc.columns(['search_video_id', 'track_key']).doUpdateSet({
        start_ms: row.start_ms,
        end_ms: row.end_ms,
        best_score: row.best_score,
        updated_at: row.now,
      }),
    )
    .execute();
  const stored = await db
    .selectFrom('appearances')
    .select('id')
    .where('search_video_id', '=', row.search_video_id)
    .where('track_key', '=', row.track_key)
    .executeTakeFirstOrThrow();
  return stored.id;
}

/** Stores detections; one already stored for the same frame and box is kept as it is. */
export async function insertDetections(
  db: Executor,
  rows: Insertable<DetectionsTable>[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('detections')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['search_video_id', 'time_ms', 'box_x', 'box_y']).doUpdateSet((eb) => ({
        appearance_id: eb.ref('excluded.appearance_id'),
      })),
    )
    .execute();
}

export async function findDetectionAt(
  db: Executor,
  searchVideoId: string,
  timeMs: number,
  boxX: number,
  boxY: number,
): Promise<DetectionRow | undefined> {
  return db
    .selectFrom('detections')
    .selectAll()
    .where('search_video_id', '=', searchVideoId)
    .where('time_ms', '=', timeMs)
    .where('box_x', '=', boxX)
    .where('box_y', '=', boxY)
    .executeTakeFirst();
}

export async function setDetectionImages(
  db: Executor,
  id: string,
  frameKey: string,
  faceKey: string,
): Promise<void> {
  await db
    .updateTable('detections')
    .set({ frame_key: frameKey, face_key: faceKey })
    .where('id', '=', id)
    .execute();
}

export async function refreshAppearanceTotals(
  db: Executor,
  appearanceId: string,
  bestDetectionId: string,
  now: string,
): Promise<void> {
  await db
    .updateTable('appearances')
    .set((eb) => ({
      best_detection_id: bestDetectionId,
      detection_count: eb
        .selectFrom('detections')
        .select((inner) => inner.fn.countAll<number>().as('n'))
        .where('detections.appearance_id', '=', appearanceId),
      updated_at: now,
    }))
    .where('id', '=', appearanceId)
    .execute();
}

export async function setAppearanceClip(
  db: Executor,
  appearanceId: string,
  clipKey: string,
): Promise<void> {
  await db
    .updateTable('appearances')
    .set({ clip_key: clipKey })
    .where('id', '=', appearanceId)
    .execute();
}

const appearancesWithBest = (db: Executor) =>
  db
    .selectFrom('appearances')
    .leftJoin('detections as best', 'best.id', 'appearances.best_detection_id')
    .selectAll('appearances')
    .select([
      'best.time_ms as best_time_ms',
      'best.box_x',
      'best.box_y',
      'best.box_width',
      'best.box_height',
    ]);

export interface AppearanceFilter {
  videoId?: string;
  minScore?: number;
  searchVideoId?: string;
  withoutClip?: boolean;
}

export async function listAppearances(
  db: Executor,
  searchId: string,
  filter: AppearanceFilter = {},
): Promise<AppearanceWithBest[]> {
  let query = appearancesWithBest(db).where('appearances.search_id', '=', searchId);
  if (filter.videoId) query = query.where('appearances.video_id', '=', filter.videoId);
  if (filter.minScore !== undefined) {
    query = query.where('appearances.best_score', '>=', filter.minScore);
  }
  if (filter.searchVideoId) {
    query = query.where('appearances.search_video_id', '=', filter.searchVideoId);
  }
  if (filter.withoutClip) query = query.where('appearances.clip_key', 'is', null);
  return query
    .orderBy('appearances.video_id')
    .orderBy('appearances.start_ms')
    .orderBy('appearances.id')
    .execute();
}

/** A case's best appearances over all its searches, best first, with their video's title. */
export async function listCaseSightings(
  db: Executor,
  missingPersonId: string,
  limit: number,
): Promise<(AppearanceWithBest & { video_title: string })[]> {
  return appearancesWithBest(db)
    .innerJoin('searches', 'searches.id', 'appearances.search_id')
    .innerJoin('videos', 'videos.id', 'appearances.video_id')
    .select('videos.title as video_title')
    .where('searches.missing_person_id', '=', missingPersonId)
    .orderBy('appearances.best_score', 'desc')
    .orderBy('appearances.id')
    .limit(limit)
    .execute();
}

export async function findAppearance(
  db: Executor,
  searchId: string,
  appearanceId: string,
): Promise<AppearanceWithBest | undefined> {
  return appearancesWithBest(db)
    .where('appearances.search_id', '=', searchId)
    .where('appearances.id', '=', appearanceId)
    .executeTakeFirst();
}

export interface DetectionFilter {
  videoId?: string;
  appearanceId?: string;
  minConfidence?: number;
  fromMs?: number;
  toMs?: number;
  sort: 'time' | '-confidence';
  limit?: number;
  offset?: number;
}

export async function listDetections(
  db: Executor,
  searchId: string,
  filter: DetectionFilter,
): Promise<{ rows: DetectionRow[]; total: number }> {
  let query = db.selectFrom('detections').where('search_id', '=', searchId);
  if (filter.videoId) query = query.where('video_id', '=', filter.videoId);
  if (filter.appearanceId) query = query.where('appearance_id', '=', filter.appearanceId);
  if (filter.minConfidence !== undefined) {
    query = query.where('confidence', '>=', filter.minConfidence);
  }
  if (filter.fromMs !== undefined) query = query.where('time_ms', '>=', filter.fromMs);
  if (filter.toMs !== undefined) query = query.where('time_ms', '<=', filter.toMs);

  let rows = query.selectAll();
  rows =
    filter.sort === 'time'
      ? rows.orderBy('video_id').orderBy('time_ms').orderBy('box_x')
      : rows.orderBy('confidence', 'desc').orderBy('time_ms');
  rows = rows.orderBy('id');
  if (filter.limit === undefined) {
    const all = await rows.execute();
    return { rows: all, total: all.length };
  }
  // The total rides along with the page (a window count), sparing a second read of the same rows;
  // only a page past the end, which carries no row, needs a count of its own.
  const page = await rows
    .select((eb) => eb.fn.countAll<number>().over().as('total_count'))
    .limit(filter.limit)
    .offset(filter.offset ?? 0)
    .execute();
  const first = page[0];
  const total = first
    ? Number(first.total_count)
    : Number(
        (await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow())
          .total,
      );
  return { rows: page.map(({ total_count: _total, ...row }) => row), total };
}

export async function findDetection(
  db: Executor,
  searchId: string,
  detectionId: string,
): Promise<DetectionRow | undefined> {
  return db
    .selectFrom('detections')
    .selectAll()
    .where('search_id', '=', searchId)
    .where('id', '=', detectionId)
    .executeTakeFirst();
}
