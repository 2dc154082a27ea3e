import { pino } from 'pino';
import type { Config } from './config.js';
import { sqlitePath } from './config.js';
import { createDatabase, dialectOf, type DialectName, type Db } from './db/database.js';
import { createEventBus } from './events/event.bus.js';
import type { EventBus } from './events/event.types.js';
import { createJobQueue } from './jobs/job.queue.js';
import type { JobQueue } from './jobs/job.types.js';
import { createMailer, type Mailer } from './mail/mailer.js';
import { createMediaAdapter } from './media/media.adapter.js';
import { resolveMediaBinaries } from './media/media.binaries.js';
import type { MediaAdapter } from './media/media.types.js';
import { createLocalStorage } from './storage/local.storage.js';
import type { Storage } from './storage/storage.types.js';

/** Everything external the app talks to, built once from config and handed to route plugins. */
export interface AppDeps {
  config: Config;
  db: Db;
  dialect: DialectName;
  storage: Storage;
  mailer: Mailer;
  media: MediaAdapter;
  /** Background jobs: the `jobs` table, or BullMQ when REDIS_URL is set. */
  queue: JobQueue;
  /** Live events: in memory, or Redis pub/sub when REDIS_URL is set. */
  events: EventBus;
}

export function createDeps(config: Config): AppDeps {
  const url = config.DATABASE_URL ?? sqlitePath(config);
  const db = createDatabase({ url, poolSize: config.DATABASE_POOL_SIZE });
  const dialect = dialectOf(url);
  const logger = pino({ level: config.LOG_LEVEL });
  return {
    config,
    db,
    dialect,
    queue: createJobQueue({ config, db, dialect, logger: logger.child({ component: 'jobs' }) }),
    events: createEventBus(config, logger.child({ component: 'events' })),
    storage: createLocalStorage(config.DATA_DIR),
    mailer: createMailer(config),
    media: createMediaAdapter(resolveMediaBinaries(config)),
  };
}

export async function closeDeps(deps: AppDeps): Promise<void> {
  await deps.queue.close();
  await deps.events.close();
  deps.mailer.close();
  await deps.db.destroy();
}
