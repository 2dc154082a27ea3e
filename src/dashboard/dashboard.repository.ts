import type { Executor } from '../db/database.js';

/** Rows per value of a status-like column of one owner's table. */
async function countBy<T extends 'missing_persons' | 'searches'>(
  db: Executor,
  table: T,
  ownerId: string,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom(table as 'searches')
    .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
    .where('owner_id', '=', ownerId)
    .groupBy('status')
    .execute();
  return new Map(rows.map((row) => [row.status as string, Number(row.count)]));
}

export const countCasesByStatus = (db: Executor, ownerId: string) =>
  countBy(db, 'missing_persons', ownerId);

export const countSearchesByStatus = (db: Executor, ownerId: string) =>
  countBy(db, 'searches', ownerId);

export async function videoTotals(
  db: Executor,
  ownerId: string,
): Promise<{ kind: 'upload' | 'live'; count: number; durationMs: number }[]> {
  const rows = await db
    .selectFrom('videos')
    .select([
      'kind',
      (eb) => eb.fn.countAll<number>().as('count'),
      (eb) => eb.fn.sum<number | null>('duration_ms').as('duration_ms'),
    ])
    .where('owner_id', '=', ownerId)
    .groupBy('kind')
    .execute();
  return rows.map((row) => ({
    kind: row.kind,
    count: Number(row.count),
    durationMs: Number(row.duration_ms ?? 0),
  }));
}

/** Appearances found by all of the owner's searches. */
export async function countMatches(db: Executor, ownerId: string): Promise<number> {
  const row = await db
    .selectFrom('appearances')
    .innerJoin('searches', 'searches.id', 'appearances.search_id')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('searches.owner_id', '=', ownerId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
