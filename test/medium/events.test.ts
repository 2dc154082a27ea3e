import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryEventBus } from '../../src/events/event.memory-bus.js';
import { RedisEventBus } from '../../src/events/event.redis-bus.js';
import { searchChannel, type AppEvent, type EventBus } from '../../src/events/event.types.js';
import type { SearchProgressEvent } from '../../src/contracts/search-events.contract.js';
import { testRedisUrl } from '../support/redis.js';

const redisUrl = testRedisUrl('the Redis event bus tests are');

const progress = (searchId: string, processedMs: number): SearchProgressEvent => ({
  type: 'search.progress',
  searchId,
  videoId: 'video-1',
  status: 'running',
  processedMs,
  durationMs: 60_000,
  progress: (processedMs / 60_000) * 100,
  framesAnalysed: processedMs / 200,
  fps: 24.5,
  remainingMs: ((60_000 - processedMs) / 5_000) * 1_000,
});

/** Collects what a listener receives, and waits for a given number of events. */
function collector() {
  const events: AppEvent[] = [];
  return {
    events,
    listener: (event: AppEvent) => events.push(event),
    async received(count: number): Promise<AppEvent[]> {
      const deadline = Date.now() + 5_000;
      while (events.length < count) {
        if (Date.now() > deadline) throw new Error(`got ${events.length} of ${count} events`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return events;
    },
  };
}

interface BusPair {
  publisher: EventBus;
  subscriber: EventBus;
}

const setups: { name: string; skip: boolean; open(): BusPair }[] = [
  {
    name: 'in memory',
    skip: false,
    open() {
      const bus = new MemoryEventBus(() => undefined);
      return { publisher: bus, subscriber: bus };
    },
  },
  {
    name: 'over Redis between two processes’ buses',
    skip: !redisUrl,
    open() {
      const prefix = `mpf-test-${randomUUID()}`;
      const options = {
        redisUrl: redisUrl ?? '',
        prefix,
        onListenerError: () => undefined,
        onConnectionError: () => undefined,
      };
      return { publisher: new RedisEventBus(options), subscriber: new RedisEventBus(options) };
    },
  },
];

describe.each(setups)('event bus $name', (setup) => {
  const opened: EventBus[] = [];
  const open = () => {
    const pair = setup.open();
    opened.push(pair.publisher, pair.subscriber);
    return pair;
  };

  afterAll(async () => {
    for (const bus of new Set(opened)) await bus.close();
  });

  it.skipIf(setup.skip)(
    'delivers a search’s events, in order, to its subscribers only',
    async () => {
      const { publisher, subscriber } = open();
      const mine = collector();
      const other = collector();
      await subscriber.subscribe(searchChannel('s1'), mine.listener);
      await subscriber.subscribe(searchChannel('s2'), other.listener);

      await publisher.publish(searchChannel('s1'), {
        type: 'search.status',
        searchId: 's1',
        status: 'running',
      });
      await publisher.publish(searchChannel('s1'), progress('s1', 12_000));
      await publisher.publish(searchChannel('s1'), {
        type: 'search.detection',
        searchId: 's1',
        appearance: {
          id: 'a1',
          videoId: 'video-1',
          startMs: 2_000,
          endMs: 5_000,
          bestScore: 0.83,
          detectionCount: 16,
          box: { x: 100, y: 80, width: 64, height: 64 },
          bestTimeMs: 3_200,
          bestDetectionId: 'd1',
          frameUrl: '/api/searches/s1/detections/d1/frame',
          faceUrl: '/api/searches/s1/detections/d1/face',
          clipUrl: null,
        },
      });

      const events = await mine.received(3);
      expect(events.map((event) => event.type)).toEqual([
        'search.status',
        'search.progress',
        'search.detection',
      ]);
      expect(events[1]).toEqual(progress('s1', 12_000));
      expect(events[2]).toMatchObject({
        appearance: { frameUrl: '/api/searches/s1/detections/d1/frame' },
      });
      expect(other.events).toEqual([]);
    },
  );

  it.skipIf(setup.skip)('stops delivering to a listener once it unsubscribed', async () => {
    const { publisher, subscriber } = open();
    const leaving = collector();
    const staying = collector();
    const unsubscribe = await subscriber.subscribe(searchChannel('s3'), leaving.listener);
    await subscriber.subscribe(searchChannel('s3'), staying.listener);

    await publisher.publish(searchChannel('s3'), progress('s3', 1_000));
    await leaving.received(1);
    await unsubscribe();
    await publisher.publish(searchChannel('s3'), progress('s3', 2_000));
    await staying.received(2);

    expect(leaving.events).toHaveLength(1);
    expect(staying.events).toHaveLength(2);
  });

  it.skipIf(setup.skip)('keeps delivering to the others when one listener throws', async () => {
    const { publisher, subscriber } = open();
    const healthy = collector();
    await subscriber.subscribe(searchChannel('s4'), () => {
      throw new Error('socket closed');
    });
    await subscriber.subscribe(searchChannel('s4'), healthy.listener);
    await publisher.publish(searchChannel('s4'), progress('s4', 3_000));
    expect(await healthy.received(1)).toHaveLength(1);
  });

  it.skipIf(setup.skip)(
    'carries events as JSON, so a listener cannot alter what was published',
    async () => {
      const { publisher, subscriber } = open();
      const seen = collector();
      await subscriber.subscribe(searchChannel('s5'), (event) => {
        if (event.type === 'search.progress') event.processedMs = -1;
        seen.listener(event);
      });
      const sent = progress('s5', 4_000);
      await publisher.publish(searchChannel('s5'), sent);
      const [received] = await seen.received(1);
      expect(received).toMatchObject({ processedMs: -1 });
      expect(received).not.toBe(sent);
      expect(sent.processedMs).toBe(4_000);
    },
  );
});
