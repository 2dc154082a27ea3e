import type { AppearanceDto, SearchStatus, SearchVideo } from './search.contract.js';

// The messages of a search as the event bus carries them and `/api/ws` sends them to the web app.

/** A search changed state (queued, running, paused, completed, cancelled, failed). */
export interface SearchStatusEvent {
  type: 'search.status';
  searchId: string;
  status: SearchStatus;
}

/** Progress of one video of a search, sent at each analysis checkpoint: as the API shows it. */
export type SearchProgressEvent = {
  type: 'search.progress';
  searchId: string;
  videoId: string;
} & Pick<
  SearchVideo,
  'status' | 'processedMs' | 'durationMs' | 'progress' | 'framesAnalysed' | 'fps' | 'remainingMs'
>;

/** An appearance of the person, sent when it is confirmed and again each time it grows (same id). */
export interface SearchDetectionEvent {
  type: 'search.detection';
  searchId: string;
  appearance: AppearanceDto;
}

/**
 * State of one live feed of a search: online/offline (with the wait before the next connection
 * attempt), how far analysis lags behind real time and how many frames it skipped to keep up.
 */
export interface SearchLiveEvent {
  type: 'search.live';
  searchId: string;
  videoId: string;
  state: 'connecting' | 'online' | 'offline';
  lagMs: number | null;
  droppedFrames: number;
  reconnects: number;
  retryInMs: number | null;
  error: string | null;
}

/** The events of one search, as `/api/ws` forwards them. */
export type SearchEvent =
  SearchStatusEvent | SearchProgressEvent | SearchDetectionEvent | SearchLiveEvent;

/** What a subscriber of `/api/ws` receives first for a search: its state as it is now. */
export interface SearchSnapshotMessage {
  type: 'snapshot';
  searchId: string;
  status: SearchStatus;
  videos: SearchVideo[];
  appearances: AppearanceDto[];
}

/** A message of `/api/ws` the server could not act on. */
export interface SocketErrorMessage {
  type: 'error';
  code: string;
  message: string;
  searchId?: string;
}

/** Everything `/api/ws` sends: the web app reads these types too, so the two cannot drift. */
export type SocketMessage = SearchEvent | SearchSnapshotMessage | SocketErrorMessage;
