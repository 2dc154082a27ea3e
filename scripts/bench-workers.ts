/*
 * npm run bench:workers — throughput of recorded-footage analysis (video-seconds analysed per
 * second of wall time) with 1 and then 2 worker processes, and their ratio.
 *
 * Everything runs as in a multi-node deployment, on loopback: one web process, worker processes
 * (`src/worker.ts`, default JOB_CONCURRENCY and FACE_WORKERS unless given), a fresh PostgreSQL
 * database, a Redis namespace of its own and an S3 bucket (s3rver, files in a temporary folder).
 * One search over every generated video is timed from its start to `completed`; each run starts
 * fresh workers, so model loading is part of the time, as it is after a deployment.
 *
 * The workers compete for this machine's cores: on 2 cores one worker process already keeps both
 * busy, so expect a ratio near 1×. Several worker hosts scale with their cores.
 *
 *   npm run bench:workers -- [--videos 4] [--seconds 8] [--fps 5] [--max-workers 2]
 *     [--database-url postgres://…/postgres] [--redis-url redis://…]
 *     [--concurrency N] [--face-workers N]
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startCluster, type NodeProcess } from '../test/support/cluster.js';
import { scratchDir } from '../test/support/media-fixtures.js';
import { startS3Server } from '../test/support/s3-server.js';
import {
  createCase,
  signUp,
  startSearch,
  uploadVideo,
  waitForSearch,
} from '../test/support/factories.js';
import { referencePhoto, searchFootage } from '../test/support/search-fixtures.js';

const { values: args } = parseArgs({
  options: {
    videos: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '8' },
    fps: { type: 'string', default: '5' },
    'max-workers': { type: 'string', default: '2' },
    'database-url': {
      type: 'string',
      default: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
    'redis-url': {
      type: 'string',
      default: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    },
    concurrency: { type: 'string' },
    'face-workers': { type: 'string' },
  },
});

async function adminQuery(query: string): Promise<void> {
  const client = new pg.Client({ connectionString: args['database-url'] });
  await client.connect();
  await client.query(query);
  await client.end();
}

const scratch = scratchDir('mpf-bench-workers-');
const databaseName = `mpf_bench_${randomUUID().slice(0, 8)}`;
const databaseUrl = new URL(args['database-url']);
databaseUrl.pathname = `/${databaseName}`;
const s3 = await startS3Server();
await adminQuery(`create database ${databaseName}`);
const cluster = await startCluster({
  DATABASE_URL: databaseUrl.toString(),
  REDIS_URL: args['redis-url'],
  REDIS_PREFIX: `mpf-bench-${randomUUID().slice(0, 8)}`,
  ...s3.env(await s3.createBucket()),
  REGISTRATION: 'open',
  ...(args.concurrency ? { JOB_CONCURRENCY: args.concurrency } : {}),
  ...(args['face-workers'] ? { FACE_WORKERS: args['face-workers'] } : {}),
});

try {
  const web = await cluster.startWeb('web');
  const user = await signUp(web.baseUrl);
  const caseId = await createCase(web.baseUrl, user, await referencePhoto(scratch.file('ada.jpg')));
  const videoIds: string[] = [];
  let videoSeconds = 0;
  // Lengths differ so that no two files are identical (duplicates are refused).
  for (let index = 0; index < Number(args.videos); index += 1) {
    const seconds = Number(args.seconds) + index;
    const file = await searchFootage(scratch.file(`video-${index}.mp4`), seconds);
    videoIds.push(await uploadVideo(web.baseUrl, user, file, `Video ${index}`));
    videoSeconds += seconds;
  }
  console.log(
    `${videoIds.length} videos, ${videoSeconds} s of footage, ${args.fps} sampled frames/s, ` +
      `${String(os.availableParallelism())} cores`,
  );

  const rates: number[] = [];
  for (let count = 1; count <= Number(args['max-workers']); count += 1) {
    const workers: NodeProcess[] = await Promise.all(
      Array.from({ length: count }, (_, index) => cluster.startWorker(`worker-${count}-${index}`)),
    );
    const started = performance.now();
    const search = await startSearch(web.baseUrl, user, {
      missingPersonId: caseId,
      videoIds,
      preset: 'balanced',
      sampledFps: Number(args.fps),
    });
    const done = await waitForSearch(
      web.baseUrl,
      user,
      search.id,
      ['completed', 'failed'],
      900_000,
    );
    const wallSeconds = (performance.now() - started) / 1000;
    if (done.status !== 'completed') throw new Error(`the search ${done.status}`);
    const rate = videoSeconds / wallSeconds;
    rates.push(rate);
    console.log(
      `${count} worker process${count > 1 ? 'es' : ''}: ${wallSeconds.toFixed(1)} s, ` +
        `${rate.toFixed(2)} video-seconds analysed per second`,
    );
    for (const worker of workers) worker.child.kill('SIGTERM');
    await Promise.all(workers.map((worker) => worker.exited));
  }
  const [one, ...more] = rates;
  for (const [index, rate] of more.entries()) {
    console.log(`ratio ${index + 2} : 1 workers = ${(rate / (one ?? rate)).toFixed(2)}×`);
  }
} finally {
  await cluster.stop();
  await adminQuery(`drop database if exists ${databaseName} with (force)`);
  await s3.close();
  scratch.remove();
}
