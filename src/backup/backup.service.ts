import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Config } from '../config.js';
import { backupEncryptor, type BackupFacts } from '../crypto/backup-cipher.js';
import type { KeySet } from '../crypto/master-key.js';
import type { Db, DialectName } from '../db/database.js';
import { migrationStatus } from '../db/migrate.js';
import { dumpPostgres, snapshotSqlite } from '../db/snapshot.js';
import { AppError } from '../shared/app-error.js';
import { version } from '../shared/version.js';
import { MeasuringStream } from '../storage/storage.streams.js';
import type { Storage, StoredObject } from '../storage/storage.types.js';
import {
  fileSize,
  openArchiveWriter,
  readFileStream,
  workDir,
  type ArchiveSource,
} from './backup-archive.adapter.js';
import * as repo from './backup.repository.js';

/** What a backup reads: the database, the files as stored (still sealed) and the master keys. */
export interface BackupDeps {
  db: Db;
  dialect: DialectName;
  config: Pick<Config, 'DATA_DIR' | 'DATABASE_URL'>;
  /** The storage without the encryption layer: files are copied exactly as stored. */
  storedFiles: Storage;
  masterKeys: KeySet;
}

export interface BackupOptions {
  out: string;
  kind?: 'manual' | 'scheduled';
  /** With a passphrase, the master keys go into the archive, sealed with it (--include-key). */
  passphrase?: string;
  /** How long deletions already past the lease check get to finish before the snapshot. */
  graceMs?: number;
}

export interface ManifestFile {
  key: string;
  size: number;
  sha256: string;
}

/** The archive's last entry: what it holds, with checksums. */
export interface BackupManifest {
  database: ManifestFile;
  files: ManifestFile[];
}

export interface BackupResult {
  file: string;
  sizeBytes: number;
  manifest: BackupManifest;
}

export const DATABASE_ENTRY = { sqlite: 'database/app.db', postgres: 'database/postgres.dump' };
export const MANIFEST_ENTRY = 'manifest.json';
export const FILE_ENTRY_PREFIX = 'files/';

/** An expected failure of a backup or restore command, with the exit code it ends with. */
export class BackupError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

const LEASE_MS = 5 * 60_000;
/** Files up to this size are read whole, so one rewritten while it is copied cannot tear. */
const READ_WHOLE_BYTES = 8 * 1024 * 1024;

const lastMigration = async (db: Db) =>
  (await migrationStatus(db)).filter((m) => m.executedAt).at(-1)?.name ?? null;

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** The stored bytes of `object`, or undefined when it vanished since it was listed. */
async function storedBytes(
  storage: Storage,
  object: StoredObject,
): Promise<ArchiveSource | undefined> {
  const name = `${FILE_ENTRY_PREFIX}${object.key}`;
  try {
    if (object.sizeBytes === 0) return { name, size: 0, bytes: Buffer.alloc(0) };
    const range = { start: 0, end: object.sizeBytes - 1 };
    if (object.sizeBytes > READ_WHOLE_BYTES) {
      return { name, size: object.sizeBytes, bytes: await storage.get(object.key, range) };
    }
    const bytes = await readAll(await storage.get(object.key, range));
    return { name, size: bytes.length, bytes };
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
}

async function addMeasured(
  archive: ReturnType<typeof openArchiveWriter>,
  source: ArchiveSource,
): Promise<string> {
  const measure = new MeasuringStream();
  const bytes = Buffer.isBuffer(source.bytes) ? source.bytes : source.bytes.pipe(measure);
  if (Buffer.isBuffer(source.bytes)) measure.hash.update(source.bytes);
  else source.bytes.once('error', (error) => measure.destroy(error));
  await archive.add({ ...source, bytes });
  return measure.hash.digest('hex');
}

/** Copies every stored object (listed after the snapshot) into the archive, as stored. */
async function copyStoredFiles(deps: BackupDeps, archive: ReturnType<typeof openArchiveWriter>) {
  const files: ManifestFile[] = [];
  for await (const object of deps.storedFiles.list('')) {
    const source = await storedBytes(deps.storedFiles, object);
    if (!source) continue;
    const sha256 = await addMeasured(archive, source);
    files.push({ key: object.key, size: source.size, sha256 });
  }
  return files;
}

/** A consistent copy of the database in `dir`: SQLite's backup API, or pg_dump. */
async function snapshotDatabase(deps: BackupDeps, target: string): Promise<void> {
  if (deps.dialect === 'postgres') {
    if (!deps.config.DATABASE_URL) throw new Error('DATABASE_URL is not set');
    await dumpPostgres(deps.db, deps.config.DATABASE_URL, target);
  } else {
    await snapshotSqlite(`${deps.config.DATA_DIR}/app.db`, target);
  }
}

async function writeBackup(deps: BackupDeps, options: BackupOptions): Promise<BackupResult> {
  await new Promise((resolve) => setTimeout(resolve, options.graceMs ?? 2000));
  const work = await workDir('mpf-backup-');
  try {
    const facts: BackupFacts = {
      dialect: deps.dialect,
      appVersion: version,
      migration: await lastMigration(deps.db),
      createdAt: new Date().toISOString(),
    };
    const snapshot = work.file('database');
    await snapshotDatabase(deps, snapshot);
    const sealed = backupEncryptor(facts, deps.masterKeys, { passphrase: options.passphrase });
    const archive = openArchiveWriter(options.out, sealed);
    try {
      const name = DATABASE_ENTRY[deps.dialect];
      const size = await fileSize(snapshot);
      const sha256 = await addMeasured(archive, { name, size, bytes: readFileStream(snapshot) });
      const manifest: BackupManifest = {
        database: { key: name, size, sha256 },
        files: await copyStoredFiles(deps, archive),
      };
      const json = Buffer.from(JSON.stringify(manifest));
      await archive.add({ name: MANIFEST_ENTRY, size: json.length, bytes: json });
      return { file: options.out, sizeBytes: await archive.finish(), manifest };
    } catch (error) {
      await archive.abort();
      throw error;
    }
  } finally {
    await work.remove();
  }
}

/** Performs the deletions held back during backups, except of objects written since. */
export async function flushDeferredDeletes(deps: Pick<BackupDeps, 'db' | 'storedFiles'>) {
  if (await repo.isLocked(deps.db)) return;
  for (const row of await repo.deferredDeletes(deps.db)) {
    const keys = row.is_prefix
      ? deps.storedFiles.list(row.storage_key)
      : single(deps, row.storage_key);
    for await (const object of keys) {
      if (object.modifiedAt.toISOString() <= row.deferred_at)
        await deps.storedFiles.delete(object.key);
    }
    await repo.removeDeferredDelete(deps.db, row);
  }
}

async function* single(deps: Pick<BackupDeps, 'storedFiles'>, key: string) {
  const object = await deps.storedFiles.stat(key);
  if (object) yield object;
}

/** Holds the lease (renewed while the backup runs) around `work`. */
async function underLease<T>(db: Db, work: () => Promise<T>): Promise<T> {
  const holder = randomUUID();
  const until = () => new Date(Date.now() + LEASE_MS);
  if (!(await repo.tryLock(db, holder, until()))) {
    throw new BackupError('Another backup is running: try again when it has finished', 3);
  }
  const renew = setInterval(
    () => void repo.renewLock(db, holder, until()).catch(() => undefined),
    LEASE_MS / 5,
  );
  try {
    return await work();
  } finally {
    clearInterval(renew);
    await repo.releaseLock(db, holder);
  }
}

/**
 * One consistent, encrypted archive of the database and every stored file, while the server
 * runs: the lease holds file deletions back, the database is snapshotted first, then the files
 * are copied as stored (a file written after the snapshot is a harmless extra).
 */
export async function createBackup(
  deps: BackupDeps,
  options: BackupOptions,
): Promise<BackupResult> {
  const id = randomUUID();
  await repo.insertRun(deps.db, { id, kind: options.kind ?? 'manual' });
  try {
    const result = await underLease(deps.db, () => writeBackup(deps, options));
    await repo.finishRun(deps.db, id, {
      status: 'succeeded',
      file: result.file,
      size_bytes: result.sizeBytes,
      error: null,
    });
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await repo.finishRun(deps.db, id, {
      status: 'failed',
      file: null,
      size_bytes: null,
      error: message,
    });
    throw error;
  } finally {
    await flushDeferredDeletes(deps);
  }
}

/** Whether a storage deletion must wait for a running backup (recording it when it must). */
export function backupDeletionGate(db: Db) {
  return {
    async defer(key: string, isPrefix: boolean): Promise<boolean> {
      if (!(await repo.isLocked(db))) return false;
      await repo.addDeferredDelete(db, key, isPrefix);
      return true;
    },
  };
}
