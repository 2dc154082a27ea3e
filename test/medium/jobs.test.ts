import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDialects } from '../support/databases.js';
import { openDbQueues, waitFor, type DbQueues } from '../support/jobs.js';
import { describeQueueContract } from './queue.contract.js';

for (const dialect of testDialects) {
  describeQueueContract(`database job queue on ${dialect.name}`, () => openDbQueues(dialect));
}

describe.each(testDialects)('database job queue on $name', (dialect) => {
  let store: DbQueues;
  beforeEach(async () => {
    store = await openDbQueues(dialect);
  });
  afterEach(() => store.close());

  it('takes higher priority first, then the earliest due', async () => {
    const jobs = store.queue({ concurrency: 1 });
    const order: string[] = [];
    jobs.registerHandler('video.make-rendition', ({ payload }) => {
      order.push(payload.videoId);
      return Promise.resolve({ status: 'success' });
    });
    const base = Date.now() - 10_000;
    const at = (ms: number) => new Date(base + ms);
    await jobs.enqueue(
      'video.make-rendition',
      { videoId: 'low' },
      { dedupeKey: 'low', priority: -5 },
    );
    await jobs.enqueue(
      'video.make-rendition',
      { videoId: 'normal-later' },
      { dedupeKey: 'n2', runAt: at(2) },
    );
    await jobs.enqueue(
      'video.make-rendition',
      { videoId: 'normal-earlier' },
      { dedupeKey: 'n1', runAt: at(1) },
    );
    await jobs.enqueue(
      'video.make-rendition',
      { videoId: 'urgent' },
      { dedupeKey: 'u', priority: 10 },
    );
    await jobs.start();
    await waitFor(() => order.length === 4, 'all four jobs');
    expect(order).toEqual(['urgent', 'normal-earlier', 'normal-later', 'low']);
  });
});
