import type { Config } from './config.js';
import { sqlitePath } from './config.js';
import { createDatabase, dialectOf, type DialectName, type Db } from './db/database.js';
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
}

export function createDeps(config: Config): AppDeps {
  const url = config.DATABASE_URL ?? sqlitePath(config);
  return {
    config,
    db: createDatabase({ url, poolSize: config.DATABASE_POOL_SIZE }),
    dialect: dialectOf(url),
    storage: createLocalStorage(config.DATA_DIR),
    mailer: createMailer(config),
    media: createMediaAdapter(resolveMediaBinaries(config)),
  };
}

export async function closeDeps(deps: AppDeps): Promise<void> {
  deps.mailer.close();
  await deps.db.destroy();
}
