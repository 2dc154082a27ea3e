import { entityKeys } from '../../../lib/react-query';
import type { SearchesQuery } from './get-searches';

/** Every query key of the searches feature, so a change or an event updates exactly its data. */
export const searchKeys = {
  ...entityKeys<SearchesQuery>('searches'),
  summary: (id: string) => ['searches', 'summary', id] as const,
  appearances: (id: string) => ['searches', 'appearances', id] as const,
  appearance: (id: string, appearanceId: string) =>
    ['searches', 'appearance', id, appearanceId] as const,
  live: (id: string) => ['searches', 'live', id] as const,
  alerts: (id: string) => ['searches', 'alerts', id] as const,
  presets: () => ['searches', 'presets'] as const,
  sightings: (caseId: string) => ['searches', 'sightings', caseId] as const,
};
