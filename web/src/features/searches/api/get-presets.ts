import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { Preset } from '../../../lib/search-events';
import { searchKeys } from './search-keys';

export interface PresetDefaults {
  preset: Preset;
  sampledFps: number;
  detector: 'ssd' | 'tiny';
  /** The calibrated match threshold the server uses when a search names none. */
  threshold: number;
}

export const getPresets = () =>
  api<{ defaultPreset: Preset; presets: PresetDefaults[] }>('/api/searches/presets');

export const presetsQueryOptions = () =>
  queryOptions({ queryKey: searchKeys.presets(), queryFn: getPresets, staleTime: Infinity });

export const usePresets = () => useQuery(presetsQueryOptions());
