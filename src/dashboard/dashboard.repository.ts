import { sql } from 'kysely';
import {
  visibleCaseIds,
  visibleSearchIds,
  visibleVideoIds,
} from '../cases/case-access.repository.js';
import type { Executor } from '../db/database.js';

/** One count of the dashboard: what is counted, of which status or kind, and footage length. */
export interface DashboardCount {
  metric: 'cases' | 'searches' | 'videos' | 'matches';
  key: string;
  count: number;
  durationMs: number;
}

const metric = (name: DashboardCount['metric']) => sql<string>`${sql.lit(name)}`.as('metric');
const noDuration = sql<number>`0`.as('duration_ms');

/**
 * Every count of the dashboard in one statement (one round trip, one read of the user's access),
 * each branch scoped to what the user sees: cases per status of every case they are a member of,
 * searches per status of those cases, footage per kind (their own and that of searches of cases
 * shared with them, with its length), and the appearances those searches found.
 */
export async function dashboardCounts(db: Executor, userId: string): Promise<DashboardCount[]> {
  const cases = db
    .selectFrom('missing_persons')
    .select([
      metric('cases'),
      (eb) => eb.ref('status').$castTo<string>().as('key'),
      (eb) => eb.fn.countAll<number>().as('count'),
      noDuration,
    ])
    .where('id', 'in', visibleCaseIds(db, userId))
    .groupBy('status');
  const searches = db
    .selectFrom('searches')
    .select([
      metric('searches'),
      (eb) => eb.ref('status').$castTo<string>().as('key'),
      (eb) => eb.fn.countAll<number>().as('count'),
      noDuration,
    ])
    .where('id', 'in', visibleSearchIds(db, userId))
    .groupBy('status');
  const videos = db
    .selectFrom('videos')
    .select([
      metric('videos'),
      (eb) => eb.ref('kind').$castTo<string>().as('key'),
      (eb) => eb.fn.countAll<number>().as('count'),
      (eb) => eb.fn.coalesce(eb.fn.sum<number>('duration_ms'), sql<number>`0`).as('duration_ms'),
    ])
    .where('id', 'in', visibleVideoIds(db, userId))
    .groupBy('kind');
  const matches = db
    .selectFrom('appearances')
    .select([
      metric('matches'),
      sql<string>`''`.as('key'),
      (eb) => eb.fn.countAll<number>().as('count'),
      noDuration,
    ])
    .where('search_id', 'in', visibleSearchIds(db, userId));
  const rows = await videos.unionAll(cases).unionAll(searches).unionAll(matches).execute();
  return rows.map((row) => ({
    metric: row.metric as DashboardCount['metric'],
    key: row.key,
    count: Number(row.count),
    durationMs: Number(row.duration_ms),
  }));
}
