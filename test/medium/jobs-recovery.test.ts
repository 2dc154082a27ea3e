import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { findJobByDedupeKey } from '../../src/jobs/job.repository.js';
import { testDialects } from '../support/databases.js';
import { jobWithStatus, openDbQueues, sleep, waitFor, type DbQueues } from '../support/jobs.js';

/** A worker process on the given database whose handler announces itself and never finishes. */
function startDoomedWorker(url: string, dialect: string) {
  const script = `
    import { createDatabase } from './src/db/database.ts';
    import { DbJobQueue } from './src/jobs/job.db-queue.ts';
    const db = createDatabase({ url: ${JSON.stringify(url)} });
    const quiet = { warn() {}, error() {} };
    const queue = new DbJobQueue({ db, dialect: ${JSON.stringify(dialect)}, concurrency: 1,
      leaseMs: 1500, pollMs: 50, logger: quiet });
    queue.registerHandler('video.make-rendition', async () => {
      console.log('started');
      await new Promise(() => {});
    });
    await queue.start();
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const started = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('started')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
  return { child, started };
}

describe.each(testDialects)('job recovery on $name', (dialect) => {
  let store: DbQueues;
  let db: Db;
  const queue: DbQueues['queue'] = (options) => store.queue(options);

  beforeEach(async () => {
    store = await openDbQueues(dialect);
    db = store.db;
  });
  afterEach(() => store.close());

  it('gives the job of a worker that stopped responding to another worker, and completes it once', async () => {
    const stuck = queue({ leaseMs: 600 });
    let releaseStuck: () => void = () => undefined;
    stuck.registerHandler('video.make-rendition', async () => {
      // Ignores its signal, like a worker wedged in native code.
      await new Promise<void>((resolve) => (releaseStuck = resolve));
      return { status: 'skipped', reason: 'stale worker' };
    });
    await stuck.start();
    await stuck.enqueue('video.make-rendition', { videoId: 'v' }, { dedupeKey: 'wedged' });
    await jobWithStatus(db, 'wedged', 'running');
    await stuck.stop(50);

    const rescuer = queue({ leaseMs: 600 });
    let rescues = 0;
    rescuer.registerHandler('video.make-rendition', () => {
      rescues += 1;
      return Promise.resolve({ status: 'success' });
    });
    await rescuer.start();
    const done = await jobWithStatus(db, 'wedged', 'completed');
    releaseStuck();
    await sleep(300);

    const final = await findJobByDedupeKey(db, 'wedged');
    expect(rescues).toBe(1);
    expect(done.attempts).toBe(2);
    expect(JSON.parse(final?.result ?? '{}')).toEqual({ status: 'success' });
  });

  it('finishes the job of a killed worker process after a restart', async () => {
    const setup = queue();
    await setup.enqueue('video.make-rendition', { videoId: 'v' }, { dedupeKey: 'crash' });
    const worker = startDoomedWorker(store.database.url, dialect.name);
    try {
      await worker.started;
    } finally {
      worker.child.kill('SIGKILL');
    }
    const orphan = await findJobByDedupeKey(db, 'crash');
    expect(orphan).toMatchObject({ status: 'running', attempts: 1 });

    const restarted = queue({ leaseMs: 1_500 });
    const attempts: number[] = [];
    restarted.registerHandler('video.make-rendition', ({ attempt }) => {
      attempts.push(attempt);
      return Promise.resolve({ status: 'success' });
    });
    await restarted.start();
    const row = await jobWithStatus(db, 'crash', 'completed');
    expect(attempts).toEqual([2]);
    expect(row.last_error).toMatch(/lease expired/);
  });

  it('fails a job whose worker died on its last attempt instead of retrying it forever', async () => {
    const stuck = queue({ leaseMs: 300 });
    stuck.registerHandler('video.make-rendition', () => new Promise(() => undefined));
    await stuck.start();
    await stuck.enqueue(
      'video.make-rendition',
      { videoId: 'v' },
      { dedupeKey: 'poison', maxAttempts: 1 },
    );
    await jobWithStatus(db, 'poison', 'running');
    await stuck.stop(20);

    const next = queue({ leaseMs: 300 });
    let runs = 0;
    next.registerHandler('video.make-rendition', () => {
      runs += 1;
      return Promise.resolve({ status: 'success' });
    });
    await next.start();
    await waitFor(async () => {
      const row = await findJobByDedupeKey(db, 'poison');
      return row?.status === 'failed' ? row : undefined;
    }, 'the poison job to fail');
    expect(runs).toBe(0);
  });
});
