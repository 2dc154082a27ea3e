import type { VideosQuery } from './get-videos';

/** Every query key of the footage feature, so a change can refresh exactly what it affects. */
export const videoKeys = {
  all: ['videos'] as const,
  lists: () => [...videoKeys.all, 'list'] as const,
  list: (query: VideosQuery) => [...videoKeys.lists(), query] as const,
  detail: (id: string) => [...videoKeys.all, 'detail', id] as const,
};
