import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

/** A web process of the product started for a load run, as an operator starts it. */
export interface BenchServer {
  baseUrl: string;
  /**
   * CPU time the server process has used so far, in ms (user + system, from /proc): divided by the
   * requests of a run, its cost per request, which the machine's other load barely changes.
   */
  cpuMs(): number;
  /** Stops it with SIGTERM (a graceful stop, so a CPU profile is written) and waits. */
  stop(): Promise<void>;
}

export interface BenchServerOptions {
  /** DATA_DIR; the server's log goes to `server.log` in it. */
  dataDir: string;
  /** A postgres:// URL, or undefined for SQLite in DATA_DIR. */
  databaseUrl?: string;
  /** Write a V8 CPU profile (`node --cpu-prof`) to this folder when the server stops. */
  cpuProfileDir?: string;
  env?: Record<string, string>;
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

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux for x86 and arm). */
const TICKS_PER_SECOND = 100;

function processCpuMs(pid: number): number {
  // The fields after the command name (which may hold spaces) start at the third, the state.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/**
 * Starts `src/main.ts` on a free loopback port in production mode at the default log level (the
 * log written to a file, as a service manager would), without embedded workers: the load is on
 * the API alone. The API rate limit is raised so that the load generator, one address, is not
 * answered 429: its bookkeeping still runs on every request.
 */
export async function startBenchServer(options: BenchServerOptions): Promise<BenchServer> {
  const port = await freePort();
  const logFile = path.join(options.dataDir, 'server.log');
  const log = openSync(logFile, 'a');
  const nodeArgs = options.cpuProfileDir
    ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir]
    : [];
  // The server's settings are these alone, not whatever this shell has configured.
  const inherited = { ...process.env };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'STORAGE_URL']) delete inherited[name];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/main.ts'], {
    cwd: process.cwd(),
    env: {
      ...inherited,
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: options.dataDir,
      EMBEDDED_WORKERS: 'false',
      LOG_LEVEL: 'info',
      REGISTRATION: 'open',
      API_RATE_LIMIT_PER_MINUTE: '100000000',
      ...options.env,
    },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`the server exited:\n${readFileSync(logFile, 'utf8').slice(-4000)}`);
    }
    const health = await fetch(`${baseUrl}/api/health`).catch(() => undefined);
    if (health?.status === 200) break;
    if (Date.now() > deadline) throw new Error('the server did not become healthy in 90 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    baseUrl,
    cpuMs: () => processCpuMs(child.pid ?? 0),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
