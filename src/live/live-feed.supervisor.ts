import { setTimeout as sleep } from 'node:timers/promises';
import {
  LiveFeedDropped,
  type LiveConnection,
  type LiveFrame,
  type LiveFrameStats,
} from '../media/live.frames.js';

/** Waits between reconnection attempts: 1 s, 2 s, 4 s, … capped. */
export function backoffDelay(attempt: number, firstMs = 1000, maxMs = 30_000): number {
  return Math.min(maxMs, firstMs * 2 ** Math.max(0, attempt));
}

export type FeedState =
  { state: 'online' } | { state: 'offline'; reason: string; retryInMs: number; attempt: number };

export interface SuperviseOptions {
  signal: AbortSignal;
  /** Told at each failed attempt (with the wait before the next one) and when frames flow again. */
  onState: (state: FeedState) => void | Promise<void>;
  firstBackoffMs?: number;
  maxBackoffMs?: number;
}

/** Frames of a feed that never ends, whatever the connection does, with running totals. */
export interface SupervisedFeed extends AsyncIterable<LiveFrame> {
  stats(): LiveFrameStats & { reconnects: number; online: boolean };
  /** Ends the current connection (its ffmpeg gone when this resolves); abort `signal` first. */
  close(): Promise<void>;
}

/**
 * Keeps a feed open for as long as `signal` allows: when a connection drops or stalls the feed
 * is reported offline and reopened after an exponential backoff, and reported online again at
 * its first frame. The consumer sees one endless sequence of frames and never the failures.
 */
export function superviseLiveFeed(
  open: () => LiveConnection,
  options: SuperviseOptions,
): SupervisedFeed {
  const { signal } = options;
  const totals = { delivered: 0, dropped: 0, lagMs: 0, reconnects: 0, online: false };
  let current: LiveConnection | undefined;

  const stats = () => {
    const live = current?.stats();
    return {
      ...totals,
      delivered: totals.delivered + (live?.delivered ?? 0),
      dropped: totals.dropped + (live?.dropped ?? 0),
      lagMs: live?.lagMs ?? totals.lagMs,
    };
  };

  // An abort ends the current connection at once, not at its next frame.
  signal.addEventListener('abort', () => void current?.close(), { once: true });

  async function* frames(): AsyncGenerator<LiveFrame> {
    let failures = 0;
    let wasOffline = false;
    while (!signal.aborted) {
      const connection = open();
      current = connection;
      let reason = 'the stream ended';
      try {
        for await (const frame of connection) {
          if (!totals.online) {
            totals.online = true;
            if (wasOffline) totals.reconnects += 1;
            failures = 0;
            await options.onState({ state: 'online' });
          }
          yield frame;
        }
      } catch (error) {
        if (signal.aborted) break;
        if (!(error instanceof LiveFeedDropped)) throw error;
        reason = error.detail ? `${error.reason}: ${error.detail}` : error.reason;
      } finally {
        const last = connection.stats();
        totals.delivered += last.delivered;
        totals.dropped += last.dropped;
        totals.lagMs = last.lagMs;
        current = undefined;
      }
      if (signal.aborted) break;
      const retryInMs = backoffDelay(failures, options.firstBackoffMs, options.maxBackoffMs);
      failures += 1;
      totals.online = false;
      wasOffline = true;
      await options.onState({ state: 'offline', reason, retryInMs, attempt: failures });
      try {
        await sleep(retryInMs, undefined, { signal });
      } catch {
        break;
      }
    }
    signal.throwIfAborted();
  }

  return { stats, close: async () => current?.close(), [Symbol.asyncIterator]: frames };
}
