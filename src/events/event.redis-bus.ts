import { Redis } from 'ioredis';
import { deliver, type ListenerErrorReporter } from './event.memory-bus.js';
import type { AppEvent, EventBus, EventListener, Unsubscribe } from './event.types.js';

export interface RedisEventBusOptions {
  redisUrl: string;
  /** Namespace of the Redis channels, so deployments sharing a Redis do not hear each other. */
  prefix: string;
  onListenerError: ListenerErrorReporter;
  onConnectionError: (error: Error) => void;
}

interface Channel {
  listeners: Set<EventListener>;
  /** Settles when Redis confirmed the SUBSCRIBE. */
  ready: Promise<unknown>;
}

/**
 * The scaled event bus: Redis pub/sub, so an event published by a worker process reaches the
 * WebSocket of whichever web process holds the subscriber. A subscribed Redis connection can do
 * nothing else, hence two connections.
 */
export class RedisEventBus implements EventBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly channels = new Map<string, Channel>();

  constructor(private readonly options: RedisEventBusOptions) {
    this.publisher = new Redis(options.redisUrl);
    this.subscriber = new Redis(options.redisUrl);
    // ioredis reconnects by itself; without a listener each failed attempt would print a warning.
    for (const connection of [this.publisher, this.subscriber]) {
      connection.on('error', (error: Error) => options.onConnectionError(error));
    }
    this.subscriber.on('message', (redisChannel: string, message: string) => {
      const channel = redisChannel.slice(options.prefix.length + 1);
      const entry = this.channels.get(channel);
      if (!entry) return;
      let event: AppEvent;
      try {
        event = JSON.parse(message) as AppEvent;
      } catch (error) {
        options.onListenerError(error, channel);
        return;
      }
      deliver([...entry.listeners], event, channel, options.onListenerError);
    });
  }

  async publish(channel: string, event: AppEvent): Promise<void> {
    await this.publisher.publish(this.redisChannel(channel), JSON.stringify(event));
  }

  async subscribe(channel: string, listener: EventListener): Promise<Unsubscribe> {
    let entry = this.channels.get(channel);
    if (!entry) {
      entry = {
        listeners: new Set(),
        ready: this.subscriber.subscribe(this.redisChannel(channel)),
      };
      this.channels.set(channel, entry);
    }
    const own = entry;
    const wrapped: EventListener = (event) => listener(event);
    own.listeners.add(wrapped);
    try {
      await own.ready;
    } catch (error) {
      own.listeners.delete(wrapped);
      if (own.listeners.size === 0 && this.channels.get(channel) === own)
        this.channels.delete(channel);
      throw error;
    }
    return async () => {
      own.listeners.delete(wrapped);
      if (own.listeners.size > 0 || this.channels.get(channel) !== own) return;
      this.channels.delete(channel);
      await this.subscriber.unsubscribe(this.redisChannel(channel));
    };
  }

  async close(): Promise<void> {
    this.channels.clear();
    await Promise.all([this.publisher.quit(), this.subscriber.quit()]);
  }

  private redisChannel(channel: string): string {
    return `${this.options.prefix}:${channel}`;
  }
}
