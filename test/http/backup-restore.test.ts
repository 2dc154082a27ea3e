import { createHash } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createBackup, type BackupResult } from '../../src/backup/backup.service.js';
import { restoreBackup, type RestoreDeps } from '../../src/backup/restore.service.js';
import { parseConfig, sqlitePath, type Config } from '../../src/config.js';
import { masterKeyFiles, readKeySet } from '../../src/crypto/master-key.js';
import { createDatabase, type Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { closeDeps, createDeps, type AppDeps } from '../../src/deps.js';
import { startJobWorkers } from '../../src/job-handlers.js';
import { createStorage } from '../../src/storage/storage.factory.js';
import { get, json, type LoggedInUser } from '../support/client.js';
import { testDialects, type TestDatabase, type TestDialect } from '../support/databases.js';
import * as factory from '../support/factories.js';
import { scratchDir } from '../support/media-fixtures.js';
import { referencePhoto, searchFootage } from '../support/search-fixtures.js';

const scratch = scratchDir('mpf-backup-');

beforeAll(async () => {
  await referencePhoto(scratch.file('ada.jpg'));
  await searchFootage(scratch.file('platform.mp4'));
});
afterAll(() => scratch.remove());

interface Instance {
  dialect: TestDialect['name'];
  database: TestDatabase;
  dataDir: string;
  config: Config;
}

interface Running {
  baseUrl: string;
  deps: AppDeps;
  stop(): Promise<void>;
}

async function newInstance(dialect: TestDialect): Promise<Instance> {
  const database = await dialect.create();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mpf-backup-data-'));
  const config = parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    ...(dialect.name === 'postgres' ? { DATABASE_URL: database.url } : {}),
  });
  return { dialect: dialect.name, database, dataDir, config };
}

async function dropInstance(instance: Instance): Promise<void> {
  await instance.database.drop();
  rmSync(instance.dataDir, { recursive: true, force: true });
}

async function startServer(instance: Instance): Promise<Running> {
  const deps = createDeps(instance.config);
  await migrateToLatest(deps.db);
  const app = await buildApp(deps);
  await startJobWorkers(deps);
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    baseUrl,
    deps,
    async stop() {
      await app.close();
      await closeDeps(deps);
    },
  };
}

function backupOf(deps: AppDeps, out: string, passphrase?: string): Promise<BackupResult> {
  const masterKeys = readKeySet(masterKeyFiles(deps.config));
  if (!masterKeys) throw new Error('no master key');
  return createBackup(
    {
      db: deps.db,
      dialect: deps.dialect,
      config: deps.config,
      storedFiles: deps.storedFiles,
      masterKeys,
    },
    { out, passphrase, graceMs: 0 },
  );
}

/** Restores into `target`; the database handle (PostgreSQL) is closed after. */
async function restoreInto(target: Instance, file: string, passphrase?: string) {
  const db: Db | undefined =
    target.dialect === 'postgres' ? createDatabase({ url: target.database.url }) : undefined;
  const deps: RestoreDeps = {
    config: target.config,
    database: db
      ? { dialect: 'postgres', db, url: target.database.url }
      : { dialect: 'sqlite', file: sqlitePath(target.config) },
    storedFiles: createStorage(target.config),
    keyFiles: masterKeyFiles(target.config),
  };
  try {
    return await restoreBackup(deps, file, { passphrase });
  } finally {
    await db?.destroy();
  }
}

const sha256 = (bytes: Buffer | ArrayBuffer) =>
  createHash('sha256')
    .update(Buffer.from(bytes as ArrayBuffer))
    .digest('hex');

async function download(baseUrl: string, user: LoggedInUser, url: string): Promise<string> {
  const response = await get(baseUrl, user, url);
  expect(response.status, url).toBe(200);
  return sha256(await response.arrayBuffer());
}

/** Everything a user sees of the case, its footage and its finished search, files as checksums. */
async function observe(baseUrl: string, user: LoggedInUser, ids: Record<string, string>) {
  const read = async (url: string) => json<unknown>(await get(baseUrl, user, url), 200);
  const appearances = (await read(`/api/searches/${ids.search}/appearances`)) as {
    items: { frameUrl: string; faceUrl: string }[];
  };
  const photos = (await read(`/api/missing-persons/${ids.case}/photos`)) as {
    items?: { id: string }[];
  };
  const photoList = Array.isArray(photos) ? (photos as { id: string }[]) : (photos.items ?? []);
  return {
    case: await read(`/api/missing-persons/${ids.case}`),
    photos,
    video: await read(`/api/videos/${ids.video}`),
    search: await read(`/api/searches/${ids.search}`),
    appearances,
    files: {
      footage: await download(baseUrl, user, `/api/videos/${ids.video}/stream`),
      photos: await Promise.all(
        photoList.map((p) =>
          download(baseUrl, user, `/api/missing-persons/${ids.case}/photos/${p.id}/image`),
        ),
      ),
      frames: await Promise.all(
        appearances.items
          .flatMap((a) => [a.frameUrl, a.faceUrl])
          .map((u) => download(baseUrl, user, u)),
      ),
    },
  };
}

async function rawChecksums(instance: Instance): Promise<Map<string, string>> {
  const storage = createStorage(instance.config);
  const sums = new Map<string, string>();
  for await (const object of storage.list('')) {
    const parts: Buffer[] = [];
    for await (const part of await storage.get(object.key)) parts.push(part as Buffer);
    sums.set(object.key, sha256(Buffer.concat(parts)));
  }
  return sums;
}

describe.each(testDialects)('backup and restore on $name', (dialect) => {
  let source: Instance;
  let target: Instance | undefined;
  let running: Running | undefined;
  const archive = scratch.file(`drill-${dialect.name}.mpfb`);
  const withKey = scratch.file(`drill-${dialect.name}-key.mpfb`);
  const passphraseFile = scratch.file('passphrase.txt');

  beforeAll(async () => {
    source = await newInstance(dialect);
  });
  afterAll(async () => {
    await running?.stop().catch(() => undefined);
    await dropInstance(source);
    if (target) await dropInstance(target);
  });

  it('restores an archive made during a search into an empty instance, identical, and searches again', async () => {
    running = await startServer(source);
    const user = await factory.signUp(running.baseUrl);
    const caseId = await factory.createCase(running.baseUrl, user, scratch.file('ada.jpg'));
    const video = await factory.uploadVideo(
      running.baseUrl,
      user,
      scratch.file('platform.mp4'),
      'P3',
    );
    const settings = { missingPersonId: caseId, videoIds: [video], preset: 'fast' };
    const first = await factory.startSearch(running.baseUrl, user, settings);
    await factory.waitForSearch(running.baseUrl, user, first.id, ['completed']);
    const ids = { case: caseId, video, search: first.id };
    const before = await observe(running.baseUrl, user, ids);
    expect(before.appearances.items.length).toBeGreaterThan(0);

    const second = await factory.startSearch(running.baseUrl, user, settings);
    const backup = await backupOf(running.deps, archive);
    writeFileSync(passphraseFile, 'correct horse battery staple\n');
    await backupOf(running.deps, withKey, 'correct horse battery staple');
    await running.stop();
    running = undefined;
    const keyFile = masterKeyFiles(source.config).current;

    target = await newInstance(dialect);
    mkdirSync(path.dirname(masterKeyFiles(target.config).current), { recursive: true });
    copyFileSync(keyFile, masterKeyFiles(target.config).current);
    const summary = await restoreInto(target, archive);
    expect(summary.files).toBe(backup.manifest.files.length);
    const restoredRaw = await rawChecksums(target);
    for (const file of backup.manifest.files) expect(restoredRaw.get(file.key)).toBe(file.sha256);

    running = await startServer(target);
    expect(await observe(running.baseUrl, user, ids)).toEqual(before);
    const kept = await json<{ id: string }>(
      await get(running.baseUrl, user, `/api/searches/${second.id}`),
      200,
    );
    expect(kept.id).toBe(second.id);
    const again = await factory.startSearch(running.baseUrl, user, settings);
    await factory.waitForSearch(running.baseUrl, user, again.id, ['completed']);
    const found = await json<{ items: unknown[] }>(
      await get(running.baseUrl, user, `/api/searches/${again.id}/appearances`),
      200,
    );
    expect(found.items.length).toBeGreaterThan(0);
    await running.stop();
    running = undefined;
  }, 600_000);

  it('refuses a non-empty target, a tampered archive, and an archive without its key', async () => {
    if (!target) throw new Error('the drill did not run');
    await expect(restoreInto(target, archive)).rejects.toMatchObject({ exitCode: 3 });

    const empty = await newInstance(dialect);
    try {
      await expect(restoreInto(empty, archive)).rejects.toMatchObject({
        exitCode: 5,
        message: expect.stringContaining('master key') as string,
      });
      const tampered = scratch.file(`tampered-${dialect.name}.mpfb`);
      const bytes = readFileSync(withKey);
      const at = bytes.length - 100;
      bytes.writeUInt8(bytes.readUInt8(at) ^ 1, at);
      writeFileSync(tampered, bytes);
      const pass = 'correct horse battery staple';
      await expect(restoreInto(empty, tampered, pass)).rejects.toMatchObject({ exitCode: 4 });
      await expect(restoreInto(empty, withKey, 'wrong passphrase!!')).rejects.toMatchObject({
        exitCode: 5,
      });

      const restored = await restoreInto(empty, withKey, pass);
      expect(restored.keysWritten).toBe(true);
      const keyFile = masterKeyFiles(empty.config).current;
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(readFileSync(keyFile, 'utf8')).toBe(
        readFileSync(masterKeyFiles(source.config).current, 'utf8'),
      );
    } finally {
      await dropInstance(empty);
    }
  }, 120_000);
});
