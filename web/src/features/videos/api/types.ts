export type VideoStatus = 'uploaded' | 'processing' | 'ready' | 'failed' | 'offline';

export interface Video {
  id: string;
  /** False for footage another user added to a search of a case shared with you. */
  owned: boolean;
  kind: 'upload' | 'live';
  status: VideoStatus;
  title: string;
  description: string | null;
  durationMs: number | null;
  fps: number | null;
  width: number | null;
  height: number | null;
  codec: string | null;
  sizeBytes: number | null;
  sourceUrl: string | null;
  posterUrl: string | null;
  streamUrl: string | null;
  playback: {
    status: 'none' | 'pending' | 'processing' | 'ready' | 'failed';
    progress: number | null;
  };
  error: { code: string; message: string | null } | null;
  createdAt: string;
  updatedAt: string;
}

export interface VideoInput {
  title: string;
  description: string | null;
}
