import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type SearchStatus = 'queued' | 'running' | 'paused' | 'completed' | 'cancelled' | 'failed';
export type SearchPreset = 'fast' | 'balanced' | 'thorough';
export type SearchVideoStatus =
  'queued' | 'running' | 'paused' | 'completed' | 'cancelled' | 'failed';

export interface SearchesTable {
  id: string;
  owner_id: string;
  missing_person_id: string;
  status: SearchStatus;
  preset: SearchPreset;
  sampled_fps: number;
  threshold: number;
  /** Higher runs first; 0 when not given. */
  priority: Generated<number>;
  started_at: string | null;
  finished_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SearchVideosTable {
  id: string;
  search_id: string;
  video_id: string;
  status: SearchVideoStatus;
  processed_ms: Generated<number>;
  duration_ms: number | null;
  frames_analysed: Generated<number>;
  fps_measured: number | null;
  /** JSON of the analysis checkpoint (open tracks, last frame) so a job resumes without duplicates. */
  checkpoint: string | null;
  error_code: string | null;
  error_message: string | null;
  started_at: string | null;
  finished_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface AppearancesTable {
  id: string;
  search_id: string;
  search_video_id: string;
  video_id: string;
  /** Tracker id within one analysis, unique per search video: re-running a chunk cannot duplicate it. */
  track_key: string;
  start_ms: number;
  end_ms: number;
  best_score: number;
  best_detection_id: string | null;
  detection_count: Generated<number>;
  clip_key: string | null;
  created_at: string;
  updated_at: string;
}

export interface DetectionsTable {
  id: string;
  search_id: string;
  search_video_id: string;
  video_id: string;
  appearance_id: string | null;
  time_ms: number;
  confidence: number;
  box_x: number;
  box_y: number;
  box_width: number;
  box_height: number;
  frame_key: string | null;
  face_key: string | null;
  created_at: string;
}

export type SearchRow = Selectable<SearchesTable>;
export type NewSearch = Insertable<SearchesTable>;
export type SearchUpdate = Updateable<SearchesTable>;
export type SearchVideoRow = Selectable<SearchVideosTable>;
export type AppearanceRow = Selectable<AppearancesTable>;
export type DetectionRow = Selectable<DetectionsTable>;
