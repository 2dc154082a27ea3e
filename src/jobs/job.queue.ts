import type { Config } from '../config.js';
import type { Db, DialectName } from '../db/database.js';
import { BullMqJobQueue } from './job.bullmq-queue.js';
import { DbJobQueue } from './job.db-queue.js';
import type { JobLogger } from './job.registry.js';
import type { JobQueue } from './job.types.js';

export interface JobQueueDeps {
  config: Config;
  db: Db;
  dialect: DialectName;
  logger: JobLogger;
}

/** BullMQ on Redis when `REDIS_URL` is set, otherwise the `jobs` table of the app's database. */
export function createJobQueue({ config, db, dialect, logger }: JobQueueDeps): JobQueue {
  const common = {
    concurrency: config.JOB_CONCURRENCY,
    lanes: { 'search.watch-live-feed': config.LIVE_MAX_FEEDS },
    stopTimeoutMs: config.JOB_STOP_TIMEOUT_SECONDS * 1000,
    logger,
  };
  if (config.REDIS_URL) {
    return new BullMqJobQueue({
      ...common,
      redisUrl: config.REDIS_URL,
      prefix: config.REDIS_PREFIX,
      lockMs: config.JOB_LEASE_SECONDS * 1000,
    });
  }
  return new DbJobQueue({ ...common, db, dialect, leaseMs: config.JOB_LEASE_SECONDS * 1000 });
}
