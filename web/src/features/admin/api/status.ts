import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { adminKeys } from './admin-keys';

export interface SystemStatus {
  version: string;
  uptimeSeconds: number;
  database: 'sqlite' | 'postgres';
  registration: 'open' | 'invite' | 'closed';
  users: { admin: number; investigator: number; viewer: number };
  queue: { queued: number; running: number; failed: number; workersBusy: number; workers: number };
}

export const getSystemStatus = () => api<SystemStatus>('/api/admin/status');

export const systemStatusQueryOptions = () =>
  queryOptions({
    queryKey: adminKeys.status(),
    queryFn: getSystemStatus,
    refetchInterval: 10_000,
  });

export const useSystemStatus = () => useQuery(systemStatusQueryOptions());
