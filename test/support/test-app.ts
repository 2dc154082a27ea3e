import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import type { DestinationStream } from 'pino';
import { buildApp } from '../../src/app.js';
import { parseConfig, type Config } from '../../src/config.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { closeDeps, createDeps, type AppDeps } from '../../src/deps.js';
import type { Resolver } from '../../src/net/outbound-policy.js';
import type { TestDialect } from './databases.js';

export interface TestApp {
  app: FastifyInstance;
  deps: AppDeps;
  config: Config;
  /** Base URL of the listening server, for tests that talk real HTTP (uploads, WebSocket). */
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * Starts the real app on a fresh database of `dialect` and a fresh data directory (which holds
 * the SQLite file in the SQLite variant). `options.resolve` answers host names instead of DNS.
 */
export async function startTestApp(
  dialect: TestDialect,
  env: Record<string, string> = {},
  options: { logStream?: DestinationStream; resolve?: Resolver } = {},
): Promise<TestApp> {
  const database = await dialect.create();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mpf-data-'));
  const config = parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    // Most tests register users freely; the invite and closed modes have their own tests.
    REGISTRATION: 'open',
    ...(dialect.name === 'postgres' ? { DATABASE_URL: database.url } : {}),
    ...env,
  });
  const deps = createDeps(config, options);
  await migrateToLatest(deps.db);
  const app = await buildApp(deps, options);
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    deps,
    config,
    baseUrl,
    async close() {
      await app.close();
      await closeDeps(deps);
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The app of one describe block: started before its tests, closed after them. The answer reads
 * through to the running app, so tests use it as they would `startTestApp`'s.
 */
export function useTestApp(
  dialect: TestDialect,
  env: Record<string, string> = {},
  options: { logStream?: DestinationStream; resolve?: Resolver } = {},
): TestApp {
  let started: TestApp | undefined;
  beforeAll(async () => {
    started = await startTestApp(dialect, env, options);
  });
  afterAll(() => started?.close());
  const running = () => {
    if (!started) throw new Error('the test app starts in beforeAll: use it inside a test');
    return started;
  };
  return {
    get app() {
      return running().app;
    },
    get deps() {
      return running().deps;
    },
    get config() {
      return running().config;
    },
    get baseUrl() {
      return running().baseUrl;
    },
    close: () => running().close(),
  };
}
