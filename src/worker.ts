import { pino } from 'pino';
import { ConfigError, loadConfig } from './config.js';
import { migrateToLatest } from './db/migrate.js';
import { closeDeps, createDeps } from './deps.js';
import { startJobWorkers } from './job-handlers.js';
import { describeMediaBinaries } from './media/media.adapter.js';

/** A worker process (`npm run worker`): processes jobs, serves no HTTP. Run as many as you like. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.LOG_LEVEL }).child({ component: 'worker' });
  const deps = createDeps(config);
  await migrateToLatest(deps.db);
  await deps.keyring.assertMasterKeysPresent();

  const shutdown = async (signal: string) => {
    log.info({ signal }, 'stopping: running jobs are interrupted and go back to the queue');
    await closeDeps(deps);
    process.exit(0);
  };
  process.once('SIGINT', (signal) => void shutdown(signal));
  process.once('SIGTERM', (signal) => void shutdown(signal));

  await startJobWorkers(deps);
  log.info(
    {
      queue: config.REDIS_URL ? 'bullmq' : `database (${deps.dialect})`,
      concurrency: config.JOB_CONCURRENCY,
      liveFeeds: config.LIVE_MAX_FEEDS,
    },
    'worker is taking jobs',
  );
  const media = describeMediaBinaries(deps.media.binaries);
  log[media.level]({ media: media.origin }, media.message);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
