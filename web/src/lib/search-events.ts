import { useEffect, useRef, useState } from 'react';
import { paths } from '../config/paths';

export type SearchStatus = 'queued' | 'running' | 'paused' | 'completed' | 'cancelled' | 'failed';
export type SearchVideoStatus = SearchStatus;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SearchVideo {
  videoId: string;
  title: string;
  kind: 'upload' | 'live';
  status: SearchVideoStatus;
  processedMs: number;
  durationMs: number | null;
  progress: number;
  framesAnalysed: number;
  /** Analysed frames per wall-clock second. */
  fps: number | null;
  remainingMs: number | null;
  error: { code: string; message: string } | null;
  streamUrl: string;
  posterUrl: string | null;
  width: number | null;
  height: number | null;
}

export interface Appearance {
  id: string;
  videoId: string;
  startMs: number;
  endMs: number;
  bestScore: number;
  detectionCount: number;
  box: Box;
  bestTimeMs: number;
  bestDetectionId?: string | null;
  frameUrl: string;
  faceUrl: string;
  clipUrl: string | null;
}

export type SearchProgressEvent = {
  type: 'search.progress';
  searchId: string;
  videoId: string;
} & Pick<
  SearchVideo,
  'status' | 'processedMs' | 'durationMs' | 'progress' | 'framesAnalysed' | 'fps' | 'remainingMs'
>;

export type SearchEvent =
  | {
      type: 'snapshot';
      searchId: string;
      status: SearchStatus;
      videos: SearchVideo[];
      appearances: Appearance[];
    }
  | { type: 'search.status'; searchId: string; status: SearchStatus }
  | SearchProgressEvent
  | { type: 'search.detection'; searchId: string; appearance: Appearance }
  | {
      type: 'search.live';
      searchId: string;
      videoId: string;
      state: 'connecting' | 'online' | 'offline';
      lagMs: number | null;
      droppedFrames: number;
      reconnects: number;
      error: string | null;
    }
  | { type: 'error'; code: string; message: string; searchId?: string };

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

export type Preset = 'fast' | 'balanced' | 'thorough';
export type Priority = 'low' | 'normal' | 'high';

export interface SearchListItem {
  id: string;
  status: SearchStatus;
  preset: Preset;
  threshold: number;
  priority: Priority;
  missingPerson: { id: string; firstName: string; lastName: string };
  videoCount: number;
  matchCount: number;
  progress: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export const searchStatusColor: Record<SearchStatus, string> = {
  queued: 'gray',
  running: 'blue',
  paused: 'yellow',
  completed: 'green',
  cancelled: 'dark',
  failed: 'red',
};

export const isActiveStatus = (status: SearchStatus) =>
  status === 'queued' || status === 'running' || status === 'paused';

/** Where a search is opened: its live progress while it runs, its results once it has ended. */
export const searchPage = (search: { id: string; status: SearchStatus }) =>
  isActiveStatus(search.status) ? paths.search(search.id) : paths.results(search.id);
