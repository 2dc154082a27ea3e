import type { SearchStatus, SearchVideoStatus } from '../db/tables/search.table.js';

export type SearchAction = 'pause' | 'resume' | 'cancel';

/** The states each user action may start from; anything else is an invalid transition (409). */
export const allowedFrom: Record<SearchAction, SearchStatus[]> = {
  pause: ['queued', 'running'],
  resume: ['paused'],
  cancel: ['queued', 'running', 'paused'],
};

export const activeVideoStatuses: SearchVideoStatus[] = ['queued', 'running'];
export const terminalStatuses: SearchStatus[] = ['completed', 'cancelled', 'failed'];

export const isTerminal = (status: SearchStatus): boolean => terminalStatuses.includes(status);

/**
 * The status a search shows, derived from its videos while no user action (pause, cancel) holds
 * it: finished when every video is; failed only when every video failed, so one broken file does
 * not hide the results of the others.
 */
export function aggregateStatus(videos: SearchVideoStatus[]): SearchStatus {
  if (videos.length === 0) return 'completed';
  if (videos.every((status) => isTerminal(status))) {
    if (videos.every((status) => status === 'failed')) return 'failed';
    if (videos.every((status) => status === 'cancelled')) return 'cancelled';
    return 'completed';
  }
  const started = videos.some((status) => status !== 'queued' && status !== 'paused');
  return started ? 'running' : 'queued';
}

const priorities = { low: -10, normal: 0, high: 10 } as const;
export type PriorityName = keyof typeof priorities;

/** Priority names of the API as the queue's integers (higher runs first). */
export const priorityValue = (name: PriorityName): number => priorities[name];

export function priorityName(value: number): PriorityName {
  if (value > 0) return 'high';
  if (value < 0) return 'low';
  return 'normal';
}

/** Identity of the analysis job of one video of one search: at most one runs at a time. */
export const analysisJobKey = (searchId: string, videoId: string): string =>
  `search:${searchId}:video:${videoId}`;
