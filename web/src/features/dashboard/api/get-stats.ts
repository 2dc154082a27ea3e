import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { dashboardKeys } from '../../../lib/dashboard-keys';

export interface DashboardStats {
  cases: { total: number; missing: number; found: number; closed: number };
  videos: { total: number; uploads: number; live: number; footageHours: number; footageMs: number };
  searches: {
    total: number;
    queued: number;
    running: number;
    paused: number;
    completed: number;
    cancelled: number;
    failed: number;
  };
  matches: number;
  /** Queue load of the whole server: sent to admins only. */
  system?: { queueWaiting: number; queueRunning: number; workersBusy: number; workers: number };
}

export const getStats = () => api<DashboardStats>('/api/dashboard/stats');

export const statsQueryOptions = () =>
  queryOptions({ queryKey: dashboardKeys.stats(), queryFn: getStats, refetchInterval: 10_000 });

export const useStats = () => useQuery(statsQueryOptions());
