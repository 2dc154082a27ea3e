import { useEffect, useRef, useState } from 'react';
import type { SocketMessage } from '../../../src/contracts/search-events.contract';
import type {
  AppearanceDto,
  SearchListItem,
  SearchVideo,
} from '../../../src/contracts/search.contract';
import { paths } from '../config/paths';

// The server's own types from its shared contracts module (Zod schemas of the API, messages of
// /api/ws): one source for both sides, and the only server code the web app may import.
export type {
  SearchListItem,
  SearchVideo,
  AppearanceDto as Appearance,
} from '../../../src/contracts/search.contract';
export type { SearchProgressEvent } from '../../../src/contracts/search-events.contract';
export type SearchEvent = SocketMessage;
export type SearchStatus = SearchListItem['status'];
export type SearchVideoStatus = SearchVideo['status'];
export type Preset = SearchListItem['preset'];
export type Priority = SearchListItem['priority'];
export type Box = AppearanceDto['box'];

type Listener = (event: SearchEvent) => void;

/**
 * One WebSocket for the whole tab, shared by every page that follows searches. It reconnects with
 * backoff and re-subscribes; the server answers each subscribe with a snapshot, so nothing is lost.
 */
class SearchSocket {
  private socket: WebSocket | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly statusListeners = new Set<(connected: boolean) => void>();
  private retryMs = 1000;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  connected = false;

  subscribe(searchId: string, listener: Listener): () => void {
    let set = this.listeners.get(searchId);
    if (!set) {
      set = new Set();
      this.listeners.set(searchId, set);
      this.send({ type: 'subscribe', searchId });
    }
    set.add(listener);
    this.ensureOpen();
    return () => {
      const current = this.listeners.get(searchId);
      current?.delete(listener);
      if (current && current.size === 0) {
        this.listeners.delete(searchId);
        this.send({ type: 'unsubscribe', searchId });
      }
      if (this.listeners.size === 0) this.close();
    };
  }

  onConnectionChange(listener: (connected: boolean) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private setConnected(connected: boolean) {
    this.connected = connected;
    for (const listener of this.statusListeners) listener(connected);
  }

  private send(message: object) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private ensureOpen() {
    if (this.socket || this.retryTimer) return;
    const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${protocol}//${window.location.host}/api/ws`);
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.retryMs = 1000;
      this.setConnected(true);
      for (const searchId of this.listeners.keys()) this.send({ type: 'subscribe', searchId });
    });
    socket.addEventListener('message', (message) => {
      let event: SearchEvent;
      try {
        event = JSON.parse(String(message.data)) as SearchEvent;
      } catch {
        return;
      }
      const targets =
        'searchId' in event && event.searchId
          ? [this.listeners.get(event.searchId)]
          : [...this.listeners.values()];
      for (const set of targets) for (const listener of set ?? []) listener(event);
    });
    socket.addEventListener('close', () => {
      this.socket = null;
      this.setConnected(false);
      if (this.listeners.size === 0) return;
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.ensureOpen();
      }, this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 15_000);
    });
  }

  private close() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.socket?.close();
    this.socket = null;
  }
}

const searchSocket = new SearchSocket();

export const isSearchSocketConnected = () => searchSocket.connected;

/**
 * Follows the given searches live; `onEvent` sees every event for them. Returns whether the socket
 * is connected, so callers can fall back to polling while it is not.
 */
export function useSearchEvents(searchIds: string[], onEvent: Listener): boolean {
  const handler = useRef(onEvent);
  const [connected, setConnected] = useState(searchSocket.connected);
  const key = [...searchIds].sort().join(',');

  useEffect(() => {
    handler.current = onEvent;
  });

  useEffect(() => searchSocket.onConnectionChange(setConnected), []);

  useEffect(() => {
    if (!key) return;
    const unsubscribes = key
      .split(',')
      .map((searchId) => searchSocket.subscribe(searchId, (event) => handler.current(event)));
    return () => {
      for (const unsubscribe of unsubscribes) unsubscribe();
    };
  }, [key]);

  return connected;
}

export const searchStatusColor: Record<SearchStatus, string> = {
  queued: 'gray',
  running: 'blue',
  paused: 'yellow',
  completed: 'green',
  cancelled: 'dark',
  failed: 'red',
};

/** A progress bar's colour: how the search ended shows on the bar too, in every list and page. */
export const progressColor: Record<SearchStatus, string> = {
  queued: 'blue',
  running: 'blue',
  paused: 'yellow',
  completed: 'green',
  cancelled: 'gray',
  failed: 'red',
};

export const isActiveStatus = (status: SearchStatus) =>
  status === 'queued' || status === 'running' || status === 'paused';

/** Where a search is opened: its live progress while it runs, its results once it has ended. */
export const searchPage = (search: { id: string; status: SearchStatus }) =>
  isActiveStatus(search.status) ? paths.search(search.id) : paths.results(search.id);
