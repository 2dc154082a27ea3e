import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster, type NodeProcess } from '../support/cluster.js';
import { get, json, type LoggedInUser } from '../support/client.js';
import * as factory from '../support/factories.js';
import { openSocket, referencePhoto, searchFootage } from '../support/search-fixtures.js';
import { testDialects, type TestDatabase } from '../support/databases.js';
import { scratchDir } from '../support/media-fixtures.js';
import { startS3Server, type TestS3Server } from '../support/s3-server.js';

const postgres = testDialects.find((dialect) => dialect.name === 'postgres');
const redisUrl = process.env.TEST_REDIS_URL;
const scratch = scratchDir('mpf-multi-node-');

interface Appearance {
  videoId: string;
  startMs: number;
  endMs: number;
  detectionCount: number;
}
interface Status {
  status: string;
  videos: { videoId: string; status: string; processedMs: number }[];
}

describe.skipIf(!postgres || !redisUrl)(
  'two web and two worker processes on PostgreSQL, Redis and S3',
  () => {
    let s3: TestS3Server;
    let database: TestDatabase;
    let cluster: Cluster;
    let webA: NodeProcess;
    let webB: NodeProcess;
    let workers: NodeProcess[];
    let user: LoggedInUser;
    let settings: Record<string, unknown>;

    const statusOf = async (searchId: string) =>
      json<Status>(await get(webA.baseUrl, user, `/api/v1/searches/${searchId}/status`), 200);
    /** Appearances in a comparable form (ids differ between searches), and the detection times. */
    async function resultsOf(searchId: string) {
      const { items } = await json<{ items: Appearance[] }>(
        await get(webB.baseUrl, user, `/api/v1/searches/${searchId}/appearances`),
        200,
      );
      const detections = await json<{ items: { videoId: string; timeMs: number }[] }>(
        await get(webB.baseUrl, user, `/api/v1/searches/${searchId}/detections?pageSize=200`),
        200,
      );
      return {
        appearances: items
          .map(({ videoId, startMs, endMs, detectionCount }) => ({
            videoId,
            startMs,
            endMs,
            detectionCount,
          }))
          .sort((a, b) => a.videoId.localeCompare(b.videoId)),
        detections: detections.items.map((d) => `${d.videoId}@${d.timeMs}`),
      };
    }

    beforeAll(async () => {
      if (!postgres || !redisUrl) return;
      await referencePhoto(scratch.file('ada.jpg'));
      // Two different files (a user cannot upload the same one twice): one for each worker.
      await searchFootage(scratch.file('platform.mp4'), 8);
      await searchFootage(scratch.file('concourse.mp4'), 9);
      s3 = await startS3Server();
      database = await postgres.create();
      cluster = await startCluster({
        DATABASE_URL: database.url,
        REDIS_URL: redisUrl,
        REDIS_PREFIX: `mpf-multi-${randomUUID().slice(0, 8)}`,
        ...s3.env(await s3.createBucket()),
        REGISTRATION: 'open',
        // A short lease: the job of a killed worker is taken back within seconds.
        JOB_LEASE_SECONDS: '5',
        JOB_CONCURRENCY: '1',
        FACE_WORKERS: '1',
      });
      [webA, webB, ...workers] = await Promise.all([
        cluster.startWeb('web-a'),
        cluster.startWeb('web-b'),
        cluster.startWorker('worker-1'),
        cluster.startWorker('worker-2'),
      ]);
      user = await factory.signUp(webA.baseUrl);
      const caseId = await factory.createCase(webA.baseUrl, user, scratch.file('ada.jpg'));
      const videoIds = [
        await factory.uploadVideo(webA.baseUrl, user, scratch.file('platform.mp4'), 'Platform'),
        await factory.uploadVideo(webB.baseUrl, user, scratch.file('concourse.mp4'), 'Concourse'),
      ];
      settings = { missingPersonId: caseId, videoIds, preset: 'balanced', sampledFps: 5 };
    }, 300_000);

    afterAll(async () => {
      await cluster?.stop();
      await database?.drop();
      await s3?.close();
      scratch.remove();
    });

    it('analyses a search from web A on the workers, streams its progress to web B, and survives a worker killed mid-search', async () => {
      const undisturbed = await factory.startSearch(webA.baseUrl, user, settings);
      await factory.waitForSearch(webA.baseUrl, user, undisturbed.id, ['completed'], 120_000);
      const expected = await resultsOf(undisturbed.id);
      expect(expected.appearances).toHaveLength(2);

      const search = await factory.startSearch(webA.baseUrl, user, settings);
      const socket = await openSocket(webB.baseUrl, { path: '/api/v1/ws', token: user.token });
      socket.send({ type: 'subscribe', searchId: search.id });
      await socket.waitFor((m) => m.type === 'search.progress', 60_000);

      // Both workers (one job each) are busy: killing one interrupts its video mid-way.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const { videos } = await statusOf(search.id);
        if (videos.every((v) => v.status === 'running' && v.processedMs >= 2000)) break;
        if (Date.now() > deadline) throw new Error(`never both running: ${JSON.stringify(videos)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const victim = workers[0] as NodeProcess;
      victim.child.kill('SIGKILL');
      expect(await victim.exited).toBe('SIGKILL');

      const done = await factory.waitForSearch(
        webA.baseUrl,
        user,
        search.id,
        ['completed', 'failed'],
        120_000,
      );
      expect(done.status).toBe('completed');
      const finished = await socket.waitFor(
        (m) => m.type === 'search.status' && m.status === 'completed',
        30_000,
      );
      expect(finished.searchId).toBe(search.id);
      socket.close();

      const after = await resultsOf(search.id);
      expect(after.appearances).toEqual(expected.appearances);
      expect(new Set(after.detections).size).toBe(after.detections.length);
      expect(after.detections.length).toBe(expected.detections.length);
    }, 300_000);
  },
);
