import type { SearchesQuery } from './get-searches';

/** Every query key of the searches feature, so a change or an event updates exactly its data. */
export const searchKeys = {
  all: ['searches'] as const,
  lists: () => [...searchKeys.all, 'list'] as const,
  list: (query: SearchesQuery) => [...searchKeys.lists(), query] as const,
  detail: (id: string) => [...searchKeys.all, 'detail', id] as const,
  summary: (id: string) => [...searchKeys.all, 'summary', id] as const,
  appearances: (id: string) => [...searchKeys.all, 'appearances', id] as const,
  appearance: (id: string, appearanceId: string) =>
    [...searchKeys.all, 'appearance', id, appearanceId] as const,
  live: (id: string) => [...searchKeys.all, 'live', id] as const,
  alerts: (id: string) => [...searchKeys.all, 'alerts', id] as const,
  presets: () => [...searchKeys.all, 'presets'] as const,
};
