import type { Insertable, Selectable, Updateable } from 'kysely';

export type VideoKind = 'upload' | 'live';
export type VideoStatus = 'uploaded' | 'processing' | 'ready' | 'failed' | 'offline';
export type PlaybackStatus = 'none' | 'pending' | 'processing' | 'ready' | 'failed';

export interface VideosTable {
  id: string;
  owner_id: string;
  title: string;
  description: string | null;
  kind: VideoKind;
  storage_key: string | null;
  source_url: string | null;
  original_name: string | null;
  mime_type: string | null;
  duration_ms: number | null;
  fps: number | null;
  width: number | null;
  height: number | null;
  codec: string | null;
  rotation: number | null;
  size_bytes: number | null;
  checksum: string | null;
  status: VideoStatus;
  error_code: string | null;
  error_message: string | null;
  poster_key: string | null;
  /** Browser-playable H.264/AAC rendition of a footage file browsers cannot play as uploaded. */
  playback_key: string | null;
  playback_status: PlaybackStatus;
  playback_progress: number | null;
  created_at: string;
  updated_at: string;
}

export type VideoRow = Selectable<VideosTable>;
export type NewVideo = Insertable<VideosTable>;
export type VideoUpdate = Updateable<VideosTable>;
