import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { createDatabase } from '../../src/db/database.js';
import { writeNewMasterKey } from '../../src/crypto/master-key.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/** One web or worker process of the product, started the way an operator starts it. */
export interface NodeProcess {
  name: string;
  child: ChildProcess;
  /** The web process's address; empty for a worker. */
  baseUrl: string;
  /** Everything it printed, for a failing test's message. */
  output(): string;
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<string>;
}

/**
 * Web and worker processes sharing one PostgreSQL database, one Redis namespace and one object
 * store, each with a data directory of its own (local scratch only), all on loopback.
 */
export interface Cluster {
  startWeb(name: string): Promise<NodeProcess>;
  startWorker(name: string, env?: Record<string, string>): Promise<NodeProcess>;
  /** Stops every process still running (SIGTERM), then removes the Redis keys and data folders. */
  stop(): Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

async function until(ready: () => Promise<boolean>, what: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`${what} did not become ready`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * `env` needs DATABASE_URL, REDIS_URL and REDIS_PREFIX (and STORAGE_URL for shared files). The
 * schema is migrated once here, before any process starts, as docs/operations.md advises.
 */
export async function startCluster(env: Record<string, string>): Promise<Cluster> {
  const db = createDatabase({ url: env.DATABASE_URL ?? '' });
  await migrateToLatest(db);
  await db.destroy();
  const processes: NodeProcess[] = [];
  const dataDirs: string[] = [mkdtempSync(path.join(os.tmpdir(), 'mpf-keys-'))];
  // Every node opens the same data keys, so they share one master key, as in a deployment.
  const keyFile = path.join(dataDirs[0]!, 'master.key');
  writeNewMasterKey(keyFile);

  function launch(name: string, script: string, extra: Record<string, string>): NodeProcess {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), `mpf-node-${name}-`));
    dataDirs.push(dataDir);
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: process.cwd(),
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATA_DIR: dataDir,
        ENCRYPTION_KEY_FILE: keyFile,
        ...env,
        ...extra,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const exited = new Promise<string>((resolve) =>
      child.once('exit', (code, signal) => resolve(signal ?? String(code))),
    );
    const started: NodeProcess = { name, child, baseUrl: '', output: () => output, exited };
    processes.push(started);
    return started;
  }

  const alive = (node: NodeProcess) =>
    node.child.exitCode === null && node.child.signalCode === null;
  const failIfDead = (node: NodeProcess) => {
    if (!alive(node)) throw new Error(`${node.name} exited:\n${node.output()}`);
  };

  return {
    async startWeb(name) {
      const port = await freePort();
      const node = launch(name, 'src/main.ts', {
        HOST: '127.0.0.1',
        PORT: String(port),
        EMBEDDED_WORKERS: 'false',
        LOG_LEVEL: 'warn',
      });
      node.baseUrl = `http://127.0.0.1:${port}`;
      await until(async () => {
        failIfDead(node);
        const health = await fetch(`${node.baseUrl}/api/health`).catch(() => undefined);
        return health?.status === 200;
      }, name);
      return node;
    },

    async startWorker(name, extra = {}) {
      const node = launch(name, 'src/worker.ts', { LOG_LEVEL: 'info', ...extra });
      await until(() => {
        failIfDead(node);
        return Promise.resolve(node.output().includes('worker is taking jobs'));
      }, name);
      return node;
    },

    async stop() {
      const running = processes.filter(alive);
      for (const node of running) node.child.kill('SIGTERM');
      await Promise.all(running.map((node) => node.exited));
      if (env.REDIS_URL && env.REDIS_PREFIX) {
        const redis = new Redis(env.REDIS_URL);
        const keys = await redis.keys(`${env.REDIS_PREFIX}:*`);
        if (keys.length > 0) await redis.del(...keys);
        await redis.quit();
      }
      for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}
