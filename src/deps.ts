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
import {
  createOutboundPolicies,
  type OutboundPolicies,
  type Resolver,
} from './net/outbound-policy.js';
import {
  createFaceEngine,
  FACE_MODEL_NAME,
  FACE_MODEL_VERSION,
} from './recognition/face-engine.js';
import type { FaceEngine, FaceEngineOptions } from './recognition/recognition.types.js';
import type { FieldCipher } from './crypto/field-cipher.js';
import { createFieldEncryption } from './crypto/field-encryption.js';
import type { Keyring, KeyScope } from './crypto/keyring.js';
import { storageScopeResolver } from './crypto/storage-scope.js';
import { createEncryptedStorage } from './storage/encrypted.storage.js';
import { withDeferredDeletes } from './storage/deferred-delete.storage.js';
import { createStorage } from './storage/storage.factory.js';
import { backupDeletionGate } from './backup/backup.service.js';
import type { Storage } from './storage/storage.types.js';

/** Everything external the app talks to, built once from config and handed to route plugins. */
export interface AppDeps {
  config: Config;
  db: Db;
  dialect: DialectName;
  /** Every stored file, sealed with the data key of its case or owner. */
  storage: Storage;
  /** The same files as stored (still sealed), for backups; deletions wait for a running backup. */
  storedFiles: Storage;
  /** Data keys per case and per user, wrapped by the master key. */
  keyring: Keyring;
  /** Seals personal fields (names, notes, camera URLs, embeddings) with those keys. */
  fields: FieldCipher;
  mailer: Mailer;
  media: MediaAdapter;
  /** Background jobs: the `jobs` table, or BullMQ when REDIS_URL is set. */
  queue: JobQueue;
  /** Live events: in memory, or Redis pub/sub when REDIS_URL is set. */
  events: EventBus;
  /** The face engine, one per process (it owns worker threads), started on first use. */
  faces: FaceEngine;
  /** Where cameras and webhooks may be connected to. */
  outbound: OutboundPolicies;
}

/** Defers starting the engine's worker threads and models until something needs a face. */
function lazyFaceEngine(options: FaceEngineOptions): FaceEngine {
  let engine: FaceEngine | undefined;
  const started = () => (engine ??= createFaceEngine(options));
  return {
    get concurrency() {
      return started().concurrency;
    },
    modelName: FACE_MODEL_NAME,
    modelVersion: FACE_MODEL_VERSION,
    enrolPhoto: (image, enrolOptions) => started().enrolPhoto(image, enrolOptions),
    detectFaces: (frame, settings, detectOptions) =>
      started().detectFaces(frame, settings, detectOptions),
    async close() {
      const running = engine;
      engine = undefined;
      await running?.close();
    },
  };
}

/** `resolve` replaces the system's DNS resolver (tests point names at chosen addresses). */
export function createDeps(config: Config, options: { resolve?: Resolver } = {}): AppDeps {
  const url = config.DATABASE_URL ?? sqlitePath(config);
  const db = createDatabase({ url, poolSize: config.DATABASE_POOL_SIZE });
  const dialect = dialectOf(url);
  const logger = pino({ level: config.LOG_LEVEL });
  const { keyring, fields } = createFieldEncryption(config, db);
  const scopeOf = storageScopeResolver(db);
  const storedFiles = withDeferredDeletes(createStorage(config), backupDeletionGate(db));
  return {
    config,
    db,
    dialect,
    queue: createJobQueue({ config, db, dialect, logger: logger.child({ component: 'jobs' }) }),
    events: createEventBus(config, logger.child({ component: 'events' })),
    keyring,
    fields,
    storedFiles,
    storage: createEncryptedStorage(storedFiles, {
      scopeOf,
      dataKey: (scope, options) => keyring.dataKey(scope as KeyScope, options),
    }),
    mailer: createMailer(config),
    media: createMediaAdapter(resolveMediaBinaries(config)),
    faces: lazyFaceEngine({ workers: config.FACE_WORKERS }),
    outbound: createOutboundPolicies(config, options.resolve),
  };
}

export async function closeDeps(deps: AppDeps): Promise<void> {
  await deps.queue.close();
  await deps.events.close();
  await deps.faces.close();
  deps.mailer.close();
  await deps.db.destroy();
}
