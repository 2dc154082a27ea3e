import type { SearchEvent } from '../contracts/search-events.contract.js';

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

/**
 * A user's account changed in a way their requests see (role, e-mail): every process drops the
 * logins it keeps in memory for them (auth/login-cache.ts) and reads them afresh.
 */
export interface AuthChangedEvent {
  type: 'auth.changed';
  userId: string;
}

/** Every event the bus carries. Events are plain JSON: they cross processes in the scaled setup. */
export type AppEvent = SearchEvent | AuthRevokedEvent | AuthChangedEvent;

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

/** The channel of ended logins and changed accounts (AuthRevokedEvent, AuthChangedEvent). */
export const AUTH_CHANNEL = 'auth';
