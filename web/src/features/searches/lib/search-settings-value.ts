import type { Preset, Priority } from '../../../lib/search-events';

export interface SearchSettingsValue {
  preset: Preset;
  /** Null keeps the preset's calibrated default, which the server applies. */
  threshold: number | null;
  priority: Priority;
}

export const defaultSearchSettings: SearchSettingsValue = {
  preset: 'balanced',
  threshold: null,
  priority: 'normal',
};
