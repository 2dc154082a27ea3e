import {
  visibleCaseIds,
  visibleSearchIds,
  visibleVideoIds,
} from '../cases/case-access.repository.js';
import type { Executor } from '../db/database.js';

const byStatus = (rows: { status: string; count: number }[]) =>
  new Map(rows.map((row) => [row.status, Number(row.count)]));

/** Cases per status, of every case the user is a member of. */
export async function countCasesByStatus(db: Executor, userId: string) {
  const rows = await db
    .selectFrom('missing_persons')
    .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
    .where('id', 'in', visibleCaseIds(db, userId))
    .groupBy('status')
    .execute();
  return byStatus(rows);
}

/** Searches per status, of every case the user is a member of. */
export async function countSearchesByStatus(db: Executor, userId: string) {
  const rows = await db
    .selectFrom('searches')
    .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
    .where('id', 'in', visibleSearchIds(db, userId))
    .groupBy('status')
    .execute();
  return byStatus(rows);
}

/** The footage the user sees: their own and that of searches of cases shared with them. */
export async function videoTotals(
  db: Executor,
  userId: string,
): Promise<{ kind: 'upload' | 'live'; count: number; durationMs: number }[]> {
  const rows = await db
    .selectFrom('videos')
    .select([
      'kind',
      (eb) => eb.fn.countAll<number>().as('count'),
      (eb) => eb.fn.sum<number | null>('duration_ms').as('duration_ms'),
    ])
    .where('id', 'in', visibleVideoIds(db, userId))
    .groupBy('kind')
    .execute();
  return rows.map((row) => ({
    kind: row.kind,
    count: Number(row.count),
    durationMs: Number(row.duration_ms ?? 0),
  }));
}

/** Appearances found by the searches of every case the user is a member of. */
export async function countMatches(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom('appearances')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('search_id', 'in', visibleSearchIds(db, userId))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
