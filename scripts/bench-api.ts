/*
 * npm run bench:api — the API under load: requests/s, p50/p99 latency and errors of the
 * authenticated read endpoints a signed-in user hits most, beside /api/health as the baseline,
 * at 50 and 200 concurrent clients, on SQLite and PostgreSQL, in one run.
 *
 * For each dialect it starts the web process (`src/main.ts`, production mode, log level info
 * written to a file, no embedded workers) on 127.0.0.1 over a fresh database (SQLite in a
 * temporary folder; PostgreSQL a database created for the run and dropped after it), seeds a
 * user and their cases through the API and one completed search with its footage, appearances
 * and detections straight into the database (running a real search for hundreds of detections
 * would take minutes of face analysis), warms the server up, and then loads each endpoint in
 * turn with autocannon (keep-alive clients, one request in flight each), from this process.
 * The clients send the user's session cookie, as the web app does (`--auth bearer` for the token).
 *
 * The load generator shares the machine's cores with the server, and the machine may be shared
 * with other work: compare endpoints by their ratio to /api/health in the same run, and read
 * the load average printed with it. Results → .bench/api-results.json.
 *
 *   npm run bench:api -- [--seconds 10] [--clients 50,200] [--dialects sqlite,postgres]
 *     [--database-url postgres://…/postgres] [--auth cookie|bearer] [--cpu-prof folder]
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createDatabase } from '../src/db/database.js';
import { runLoad, type LoadResult } from './bench/api-load.js';
import { seedBenchData, type SeededData } from './bench/api-seed.js';
import { startBenchServer, type BenchServer } from './bench/api-server.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    clients: { type: 'string', default: '50,200' },
    dialects: { type: 'string', default: 'sqlite,postgres' },
    'database-url': {
      type: 'string',
      default: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
    auth: { type: 'string', default: 'cookie' },
    'cpu-prof': { type: 'string' },
  },
});

const SEED = { cases: 30, videos: 2, appearancesPerVideo: 20, detectionsPerAppearance: 10 };
const seconds = Number(args.seconds);
const clientCounts = args.clients.split(',').map(Number);
const loadAverage = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');

interface Row extends LoadResult {
  dialect: string;
  endpoint: string;
  clients: number;
  /** Requests/s as a share of /api/health's at the same number of clients. */
  ofHealth: number;
  /** Server CPU time per answered request, in ms. */
  cpuMsPerRequest: number;
}

function endpoints(seed: SeededData): { name: string; path: string; signedIn: boolean }[] {
  return [
    { name: 'health', path: '/api/health', signedIn: false },
    { name: 'dashboard stats', path: '/api/dashboard/stats', signedIn: true },
    { name: 'cases list', path: '/api/missing-persons', signedIn: true },
    { name: 'detections list', path: `/api/searches/${seed.searchId}/detections`, signedIn: true },
  ];
}

function credentials(seed: SeededData): Record<string, string> {
  return args.auth === 'bearer'
    ? { authorization: `Bearer ${seed.user.token}` }
    : { cookie: seed.user.cookie };
}

/**
 * Lets the server finish what the last run left in flight (the clients stop, their requests do
 * not), so that the next endpoint is not measured against the previous one's backlog.
 */
async function settle(baseUrl: string): Promise<void> {
  await fetch(`${baseUrl}/api/health`);
  await new Promise((resolve) => setTimeout(resolve, 1000));
}

async function loadAll(dialect: string, server: BenchServer, seed: SeededData): Promise<Row[]> {
  const { baseUrl } = server;
  const targets = endpoints(seed);
  // Warm-up (not reported): the JIT, the connection pool and the database's caches.
  for (const target of targets) {
    await runLoad({
      url: `${baseUrl}${target.path}`,
      connections: 20,
      seconds: 2,
      headers: target.signedIn ? credentials(seed) : {},
    });
  }
  const rows: Row[] = [];
  for (const clients of clientCounts) {
    let health = 0;
    for (const target of targets) {
      const cpuBefore = server.cpuMs();
      const result = await runLoad({
        url: `${baseUrl}${target.path}`,
        connections: clients,
        seconds,
        headers: target.signedIn ? credentials(seed) : {},
      });
      await settle(baseUrl);
      const cpuMsPerRequest = (server.cpuMs() - cpuBefore) / Math.max(result.requests, 1);
      if (!target.signedIn) health = result.requestsPerSecond;
      const row = {
        dialect,
        endpoint: target.name,
        clients,
        ...result,
        ofHealth: health > 0 ? result.requestsPerSecond / health : 0,
        cpuMsPerRequest,
      };
      rows.push(row);
      console.log(formatRow(row));
    }
  }
  return rows;
}

const TABLE_HEADER =
  '| dialect  | endpoint        | clients | req/s | × health  | p50    | p99    | errors | CPU ms/req |\n' +
  '| -------- | --------------- | ------- | ----- | --------- | ------ | ------ | ------ | ---------- |';

const formatRow = (row: Row) =>
  `| ${row.dialect.padEnd(8)} | ${row.endpoint.padEnd(15)} | ${String(row.clients).padStart(7)} | ` +
  `${row.requestsPerSecond.toFixed(0).padStart(5)} | ${row.ofHealth.toFixed(2).padStart(9)} | ` +
  `${String(row.p50Ms).padStart(3)} ms | ${String(row.p99Ms).padStart(3)} ms | ${String(row.errors).padStart(6)} | ` +
  `${row.cpuMsPerRequest.toFixed(2).padStart(10)} |`;

async function adminQuery(query: string): Promise<void> {
  const client = new pg.Client({ connectionString: args['database-url'] });
  await client.connect();
  await client.query(query);
  await client.end();
}

/** One dialect: a fresh database and server, seeded, loaded, and everything removed after. */
async function benchDialect(dialect: string): Promise<Row[]> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `mpf-bench-api-${dialect}-`));
  const databaseName = `mpf_bench_api_${randomUUID().slice(0, 8)}`;
  let databaseUrl: string | undefined;
  if (dialect === 'postgres') {
    const url = new URL(args['database-url']);
    url.pathname = `/${databaseName}`;
    databaseUrl = url.toString();
    await adminQuery(`create database ${databaseName}`);
  }
  const profileDir = args['cpu-prof'] && path.resolve(args['cpu-prof'], dialect);
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const server = await startBenchServer({ dataDir, databaseUrl, cpuProfileDir: profileDir });
  const db = createDatabase({ url: databaseUrl ?? path.join(dataDir, 'app.db') });
  try {
    const seed = await seedBenchData(server.baseUrl, db, SEED);
    console.log(
      `\n${dialect}: ${seed.caseIds.length} cases, a search with ${seed.detections} detections ` +
        `(written to the database directly); load average ${loadAverage()} (1/5/15 min)`,
    );
    console.log(TABLE_HEADER);
    return await loadAll(dialect, server, seed);
  } finally {
    await db.destroy();
    await server.stop();
    if (databaseUrl) await adminQuery(`drop database if exists ${databaseName} with (force)`);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const loadBefore = os.loadavg();
console.log(
  `${os.availableParallelism()} cores, load average ${loadAverage()} (1/5/15 min); ` +
    `${seconds} s per endpoint, clients ${clientCounts.join(' and ')}, auth by ${args.auth}`,
);
const rows: Row[] = [];
for (const dialect of args.dialects.split(',')) rows.push(...(await benchDialect(dialect)));
console.log(`\nload average at the end ${loadAverage()} (1/5/15 min)`);
mkdirSync('.bench', { recursive: true });
writeFileSync(
  path.join('.bench', 'api-results.json'),
  JSON.stringify(
    {
      at: new Date().toISOString(),
      machine: { cores: os.availableParallelism(), loadBefore, loadAfter: os.loadavg() },
      seconds,
      auth: args.auth,
      seed: SEED,
      rows,
    },
    null,
    2,
  ),
);
console.log('Results written to .bench/api-results.json.');
