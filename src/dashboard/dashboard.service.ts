import type { AuthUser } from '../auth/auth.guard.js';
import { isAdmin } from '../auth/role.policy.js';
import type { Db } from '../db/database.js';
import type { JobQueue } from '../jobs/job.types.js';
import { latestSearches, type SearchReadDeps } from '../searches/search.service.js';
import type { SearchListItem } from '../contracts/search.contract.js';
import { dashboardCounts, type DashboardCount } from './dashboard.repository.js';
import type { DashboardStats } from './dashboard.schema.js';

/** Active searches shown at once on the dashboard; more are reachable from the searches list. */
const ACTIVE_LIMIT = 50;

const sum = (values: Iterable<number>) => [...values].reduce((total, value) => total + value, 0);

/** The counts of one metric by status. */
const countsBy = (counts: DashboardCount[], metric: DashboardCount['metric']) =>
  new Map(counts.filter((row) => row.metric === metric).map((row) => [row.key, row.count]));

export async function getDashboardStats(
  deps: { db: Db; queue: Pick<JobQueue, 'stats'> },
  user: AuthUser,
): Promise<DashboardStats> {
  const [counts, queue] = await Promise.all([
    dashboardCounts(deps.db, user.id),
    isAdmin(user) ? deps.queue.stats() : undefined,
  ]);
  const cases = countsBy(counts, 'cases');
  const searches = countsBy(counts, 'searches');
  const videos = counts.filter((row) => row.metric === 'videos');
  const matches = countsBy(counts, 'matches').get('') ?? 0;
  const ofKind = (kind: 'upload' | 'live') => videos.find((row) => row.key === kind);
  const footageMs = sum(videos.map((row) => row.durationMs));
  return {
    cases: {
      total: sum(cases.values()),
      missing: cases.get('missing') ?? 0,
      found: cases.get('found') ?? 0,
      closed: cases.get('closed') ?? 0,
    },
    videos: {
      total: sum(videos.map((row) => row.count)),
      uploads: ofKind('upload')?.count ?? 0,
      live: ofKind('live')?.count ?? 0,
      footageHours: Math.round((footageMs / 3_600_000) * 100) / 100,
      // Short footage rounds to 0 hours: the page formats the exact length itself.
      footageMs: Math.round(footageMs),
    },
    searches: {
      total: sum(searches.values()),
      queued: searches.get('queued') ?? 0,
      running: searches.get('running') ?? 0,
      paused: searches.get('paused') ?? 0,
      completed: searches.get('completed') ?? 0,
      cancelled: searches.get('cancelled') ?? 0,
      failed: searches.get('failed') ?? 0,
    },
    matches,
    // The queue is shared by everyone on this server: its load is system status, for admins.
    ...(queue && {
      system: {
        queueWaiting: queue.counts.queued,
        queueRunning: queue.counts.running,
        workersBusy: queue.workers.busy,
        workers: queue.workers.concurrency,
      },
    }),
  };
}

export function recentSearches(
  deps: SearchReadDeps,
  userId: string,
  limit: number,
): Promise<SearchListItem[]> {
  return latestSearches(deps, userId, limit);
}

export function activeSearches(deps: SearchReadDeps, userId: string): Promise<SearchListItem[]> {
  return latestSearches(deps, userId, ACTIVE_LIMIT, ['queued', 'running', 'paused']);
}
