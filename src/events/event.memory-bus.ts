import type { AppEvent, EventBus, EventListener, Unsubscribe } from './event.types.js';

export type ListenerErrorReporter = (error: unknown, channel: string) => void;

/** Calls each listener on its own so one that throws cannot keep the event from the others. */
export function deliver(
  listeners: Iterable<EventListener>,
  event: AppEvent,
  channel: string,
  onListenerError: ListenerErrorReporter,
): void {
  for (const listener of listeners) {
    try {
      listener(event);
    } catch (error) {
      onListenerError(error, channel);
    }
  }
}

/** The embedded event bus: subscribers in this process only. */
export class MemoryEventBus implements EventBus {
  private readonly channels = new Map<string, Set<EventListener>>();

  constructor(private readonly onListenerError: ListenerErrorReporter) {}

  publish(channel: string, event: AppEvent): Promise<void> {
    const listeners = this.channels.get(channel);
    // A JSON copy, as Redis would carry it: listeners see the same data in both setups and
    // cannot change what the others receive.
    if (listeners) {
      deliver(
        [...listeners],
        JSON.parse(JSON.stringify(event)) as AppEvent,
        channel,
        this.onListenerError,
      );
    }
    return Promise.resolve();
  }

  subscribe(channel: string, listener: EventListener): Promise<Unsubscribe> {
    let listeners = this.channels.get(channel);
    if (!listeners) {
      listeners = new Set();
      this.channels.set(channel, listeners);
    }
    const own = listeners;
    const wrapped: EventListener = (event) => listener(event);
    own.add(wrapped);
    return Promise.resolve(() => {
      own.delete(wrapped);
      if (own.size === 0 && this.channels.get(channel) === own) this.channels.delete(channel);
      return Promise.resolve();
    });
  }

  close(): Promise<void> {
    this.channels.clear();
    return Promise.resolve();
  }
}
