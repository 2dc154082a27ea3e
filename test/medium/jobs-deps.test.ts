import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { closeDeps, createDeps, type AppDeps } from '../../src/deps.js';
import { MemoryEventBus } from '../../src/events/event.memory-bus.js';
import { RedisEventBus } from '../../src/events/event.redis-bus.js';
import { searchChannel, type AppEvent } from '../../src/events/event.types.js';
import { BullMqJobQueue } from '../../src/jobs/job.bullmq-queue.js';
import { DbJobQueue } from '../../src/jobs/job.db-queue.js';
import { waitFor } from '../support/jobs.js';
import { testRedisUrl } from '../support/redis.js';

const redisUrl = testRedisUrl('the scaled-setup wiring test is');

describe('queue and events chosen by configuration', () => {
  const opened: AppDeps[] = [];
  const dirs: string[] = [];
  const prefixes: string[] = [];
  const deps = (env: Record<string, string>) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mpf-jobs-'));
    dirs.push(dir);
    const created = createDeps(
      parseConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dir, ...env }),
    );
    opened.push(created);
    return created;
  };

  afterEach(async () => {
    for (const created of opened.splice(0)) await closeDeps(created);
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    for (const prefix of prefixes.splice(0)) {
      const redis = new Redis(redisUrl ?? '');
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
  });

  it('uses the database queue and in-memory events when nothing is configured', () => {
    const embedded = deps({});
    expect(embedded.queue).toBeInstanceOf(DbJobQueue);
    expect(embedded.events).toBeInstanceOf(MemoryEventBus);
  });

  it.skipIf(!redisUrl)(
    'with REDIS_URL, runs a job enqueued by a web process in a worker process and brings its events back',
    async () => {
      const prefix = `mpf-test-${randomUUID()}`;
      prefixes.push(prefix);
      const env = { REDIS_URL: redisUrl ?? '', REDIS_PREFIX: prefix, JOB_CONCURRENCY: '1' };
      const web = deps(env);
      const worker = deps(env);
      expect(web.queue).toBeInstanceOf(BullMqJobQueue);
      expect(web.events).toBeInstanceOf(RedisEventBus);
      await migrateToLatest(web.db);

      worker.queue.registerHandler('search.analyse-video', async ({ payload }) => {
        await worker.events.publish(searchChannel(payload.searchId), {
          type: 'search.status',
          searchId: payload.searchId,
          status: 'completed',
        });
        return { status: 'success' };
      });
      await worker.queue.start();

      const received: AppEvent[] = [];
      await web.events.subscribe(searchChannel('s1'), (event) => received.push(event));
      await web.queue.enqueue(
        'search.analyse-video',
        { searchId: 's1', searchVideoId: 'sv1' },
        { dedupeKey: 'analysis-s1-sv1' },
      );
      await waitFor(() => received.length === 1, 'the worker’s event');
      expect(received[0]).toEqual({ type: 'search.status', searchId: 's1', status: 'completed' });
      await waitFor(async () => (await web.queue.stats()).counts.completed === 1, 'completion');
    },
  );
});
