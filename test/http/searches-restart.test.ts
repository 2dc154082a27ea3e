import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { closeDeps, createDeps } from '../../src/deps.js';
import { startJobWorkers } from '../../src/job-handlers.js';
import { get, json, type LoggedInUser } from '../support/client.js';
import * as factory from '../support/factories.js';
import { openSocket, referencePhoto, searchFootage } from '../support/search-fixtures.js';
import { testDialects, type TestDatabase } from '../support/databases.js';
import { scratchDir } from '../support/media-fixtures.js';

const scratch = scratchDir('mpf-restart-');

beforeAll(async () => {
  await referencePhoto(scratch.file('ada.jpg'));
  await searchFootage(scratch.file('platform.mp4'));
});
afterAll(() => scratch.remove());

interface Running {
  baseUrl: string;
  stop(): Promise<void>;
}

/** The real app with its workers on an existing database and data directory, as `npm start` runs it. */
async function startServer(
  dialectName: 'sqlite' | 'postgres',
  database: TestDatabase,
  dataDir: string,
): Promise<Running> {
  const config = parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    // A short lease, so a job whose worker vanished is taken back quickly.
    JOB_LEASE_SECONDS: '5',
    ...(dialectName === 'postgres' ? { DATABASE_URL: database.url } : {}),
  });
  const deps = createDeps(config);
  await migrateToLatest(deps.db);
  const app = await buildApp(deps);
  await startJobWorkers(deps);
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    baseUrl,
    async stop() {
      await app.close();
      await closeDeps(deps);
    },
  };
}

describe.each(testDialects)('a restart in the middle of a search on $name', (dialect) => {
  let database: TestDatabase;
  let dataDir: string;
  let first: Running | undefined;
  let second: Running | undefined;
  let user: LoggedInUser;

  beforeAll(async () => {
    database = await dialect.create();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'mpf-restart-data-'));
  });
  afterAll(async () => {
    await first?.stop().catch(() => undefined);
    await second?.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finishes after the restart with the same appearance as an uninterrupted run, no duplicates', async () => {
    first = await startServer(dialect.name, database, dataDir);
    user = await factory.signUp(first.baseUrl);
    const caseId = await factory.createCase(first.baseUrl, user, scratch.file('ada.jpg'));
    const videoId = await factory.uploadVideo(
      first.baseUrl,
      user,
      scratch.file('platform.mp4'),
      'P3',
    );
    const settings = {
      missingPersonId: caseId,
      videoIds: [videoId],
      preset: 'balanced',
      sampledFps: 10,
    };

    const uninterrupted = await factory.startSearch(first.baseUrl, user, settings);
    await factory.waitForSearch(first.baseUrl, user, uninterrupted.id, ['completed']);
    const expected = await json<{
      items: { startMs: number; endMs: number; detectionCount: number }[];
    }>(await get(first.baseUrl, user, `/api/searches/${uninterrupted.id}/appearances`), 200);

    const search = await factory.startSearch(first.baseUrl, user, settings);
    // Stop the process once the person has been found but before the video is done.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const status = await json<{ videos: { processedMs: number }[] }>(
        await get(first.baseUrl, user, `/api/searches/${search.id}/status`),
        200,
      );
      if ((status.videos[0]?.processedMs ?? 0) >= 3000) break;
      if (Date.now() > deadline) throw new Error('the analysis never got past 3 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await first.stop();
    first = undefined;

    second = await startServer(dialect.name, database, dataDir);
    const socket = await openSocket(second.baseUrl, { token: user.token });
    socket.send({ type: 'subscribe', searchId: search.id });
    const done = await factory.waitForSearch(second.baseUrl, user, search.id, [
      'completed',
      'failed',
    ]);
    expect(done.status).toBe('completed');
    // The re-run went on from the checkpoint: it never reported the first seconds again.
    await socket.waitFor((message) => message.type === 'snapshot');
    const progress = socket.messages.filter((message) => message.type === 'search.progress');
    socket.close();
    for (const message of progress) expect(message.processedMs).toBeGreaterThanOrEqual(3000);
    const after = await json<{
      items: { startMs: number; endMs: number; detectionCount: number }[];
    }>(await get(second.baseUrl, user, `/api/searches/${search.id}/appearances`), 200);
    expect(after.items).toHaveLength(1);
    expect(after.items[0]?.startMs).toBe(expected.items[0]?.startMs);
    expect(after.items[0]?.endMs).toBe(expected.items[0]?.endMs);
    const detections = await json<{ items: { timeMs: number }[]; total: number }>(
      await get(second.baseUrl, user, `/api/searches/${search.id}/detections?pageSize=200`),
      200,
    );
    const times = detections.items.map((item) => item.timeMs);
    expect(new Set(times).size).toBe(times.length);
    expect(detections.total).toBe(after.items[0]?.detectionCount);
    expect(after.items[0]?.detectionCount).toBe(expected.items[0]?.detectionCount);
  }, 180_000);
});
