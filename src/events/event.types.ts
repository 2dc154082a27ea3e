import type { AppearanceDto, SearchVideo } from '../searches/search.schema.js';
import type { SearchStatus } from '../db/tables/search.table.js';

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

/**
 * Logins ended (logout, expiry, password change or reset, revocation, a disabled account): every
 * process closes the WebSockets they opened. `all` ends every login of the user.
 */
export interface AuthRevokedEvent {
  type: 'auth.revoked';
  userId: string;
  sessionIds: string[];
  tokenIds: string[];
  all: boolean;
}

/** Every event the bus carries. Events are plain JSON: they cross processes in the scaled setup. */
export type AppEvent =
  | SearchStatusEvent
  | SearchProgressEvent
  | SearchDetectionEvent
  | SearchLiveEvent
  | AuthRevokedEvent;

/** The events of one search, as `/api/ws` forwards them. */
export type SearchEvent = Exclude<AppEvent, AuthRevokedEvent>;

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

export type EventListener = (event: AppEvent) => void;

/** Stops delivery to one listener; resolves once the bus no longer delivers to it. */
export type Unsubscribe = () => Promise<void>;

/** Publish/subscribe by channel: in memory in one process, or over Redis between processes. */
export interface EventBus {
  /** Delivers `event` to every current subscriber of `channel`, in any process. */
  publish(channel: string, event: AppEvent): Promise<void>;
  /**
   * Resolves once the subscription is live: an event published after that is delivered. Take a
   * snapshot after subscribing, never before, and a client misses nothing.
   */
  subscribe(channel: string, listener: EventListener): Promise<Unsubscribe>;
  close(): Promise<void>;
}

/** The channel of one search: its status, progress and detection events. */
export const searchChannel = (searchId: string): string => `search:${searchId}`;

/** The channel of ended logins (see AuthRevokedEvent). */
export const AUTH_CHANNEL = 'auth';
