import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Config } from '../config.js';
import { allKeys, openKeySet, type ParsedBackupHeader } from '../crypto/backup-cipher.js';
import {
  readKeySet,
  writeMasterKey,
  type KeySet,
  type MasterKey,
  type MasterKeyFiles,
} from '../crypto/master-key.js';
import type { Db } from '../db/database.js';
import { isDatabaseEmpty, restorePostgres } from '../db/snapshot.js';
import type { Storage } from '../storage/storage.types.js';
import {
  dataDirContents,
  readArchive,
  readArchiveHeader,
  workDir,
  writeFileAtomically,
} from './backup-archive.adapter.js';
import {
  BackupError,
  DATABASE_ENTRY,
  FILE_ENTRY_PREFIX,
  MANIFEST_ENTRY,
  type BackupManifest,
} from './backup.service.js';

/** Where a restore writes: an empty DATA_DIR, an empty database, an empty storage. */
export interface RestoreDeps {
  config: Pick<Config, 'DATA_DIR'>;
  database: { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; db: Db; url: string };
  storedFiles: Storage;
  keyFiles: MasterKeyFiles;
}

export interface RestoreSummary {
  header: ParsedBackupHeader['header'];
  files: number;
  /** True when the master keys came from the archive (and were written to the key files). */
  keysWritten: boolean;
}

async function refuseNonEmptyTarget(deps: RestoreDeps): Promise<void> {
  const found = await dataDirContents(deps.config.DATA_DIR);
  const database = deps.database;
  const dbEmpty = database.dialect === 'sqlite' || (await isDatabaseEmpty(database.db, 'postgres'));
  const storageEmpty = (await deps.storedFiles.list('')[Symbol.asyncIterator]().next()).done;
  if (found.length > 0 || !dbEmpty || !storageEmpty) {
    const what = [
      ...(found.length > 0 ? [`DATA_DIR ${deps.config.DATA_DIR} holds ${found.join(', ')}`] : []),
      ...(dbEmpty ? [] : ['the database has tables']),
      ...(storageEmpty ? [] : ['the storage holds files']),
    ];
    throw new BackupError(`Refusing to restore into a non-empty target: ${what.join('; ')}`, 3);
  }
}

/** The master key the archive needs: from the key files, or from the archive with the passphrase. */
function chooseKeys(
  parsed: ParsedBackupHeader,
  keyFiles: MasterKeyFiles,
  passphrase: string | undefined,
): { master: MasterKey; fromArchive?: KeySet } {
  const wanted = parsed.header.masterKeyId;
  const onDisk = readKeySet(keyFiles);
  const master = onDisk && allKeys(onDisk).find((key) => key.id === wanted);
  if (master) return { master };
  if (passphrase === undefined) {
    const hint = parsed.header.keys ? ', or give --passphrase-file' : '';
    throw new BackupError(
      `The archive is sealed with master key ${wanted}, which is not at ${keyFiles.current}: ` +
        `put that key file there (or set ENCRYPTION_KEY_FILE)${hint}`,
      5,
    );
  }
  try {
    const fromArchive = openKeySet(parsed.header, passphrase);
    return { master: fromArchive.current, fromArchive };
  } catch (error) {
    throw new BackupError((error as Error).message, 5);
  }
}

async function sha256Of(bytes: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const part of bytes) hash.update(part as Buffer);
  return hash.digest('hex');
}

/** Reads the whole archive once without writing anything: every byte authenticated, every entry checked. */
async function verifyArchive(file: string, parsed: ParsedBackupHeader, master: MasterKey) {
  const seen = new Map<string, string>();
  let manifest: BackupManifest | undefined;
  try {
    await readArchive(file, parsed, master, async (name, bytes) => {
      if (name !== MANIFEST_ENTRY) return void seen.set(name, await sha256Of(bytes));
      const parts: Buffer[] = [];
      for await (const part of bytes) parts.push(part as Buffer);
      manifest = JSON.parse(Buffer.concat(parts).toString('utf8')) as BackupManifest;
    });
  } catch (error) {
    throw new BackupError(`The archive is damaged or was altered: ${(error as Error).message}`, 4);
  }
  const expected = manifest && [
    [manifest.database.key, manifest.database.sha256],
    ...manifest.files.map((f) => [`${FILE_ENTRY_PREFIX}${f.key}`, f.sha256]),
  ];
  const whole =
    expected?.length === seen.size && expected.every(([name, sha]) => seen.get(name!) === sha);
  if (!manifest || !whole) throw new BackupError('The archive is incomplete', 4);
  return manifest;
}

async function writeEntries(
  deps: RestoreDeps,
  file: string,
  parsed: ParsedBackupHeader,
  master: MasterKey,
) {
  const work = await workDir('mpf-restore-');
  const dump = work.file('postgres.dump');
  try {
    await readArchive(file, parsed, master, async (name, bytes) => {
      if (name.startsWith(FILE_ENTRY_PREFIX)) {
        await deps.storedFiles.put(name.slice(FILE_ENTRY_PREFIX.length), bytes);
      } else if (name === DATABASE_ENTRY.sqlite && deps.database.dialect === 'sqlite') {
        await writeFileAtomically(deps.database.file, bytes);
      } else if (name === DATABASE_ENTRY.postgres && deps.database.dialect === 'postgres') {
        await writeFileAtomically(dump, bytes);
      } else {
        for await (const part of bytes) void part;
      }
    });
    if (deps.database.dialect === 'postgres') {
      await restorePostgres(deps.database.db, deps.database.url, dump);
    }
  } finally {
    await work.remove();
  }
}

function writeKeys(keyFiles: MasterKeyFiles, keys: KeySet): void {
  writeMasterKey(keyFiles.current, keys.current);
  if (keys.next) writeMasterKey(keyFiles.next, keys.next);
  for (const key of keys.retired)
    writeMasterKey(path.join(keyFiles.retiredDir, `${key.id}.key`), key);
}

/**
 * Restores an archive into an empty instance: refuses a target holding anything, checks the
 * whole archive before writing a byte, then writes the database, the files as stored and (when
 * they came from the archive) the master keys. Migrations run as usual when the app starts.
 */
export async function restoreBackup(
  deps: RestoreDeps,
  file: string,
  options: { passphrase?: string } = {},
): Promise<RestoreSummary> {
  await refuseNonEmptyTarget(deps);
  let parsed: ParsedBackupHeader;
  try {
    parsed = await readArchiveHeader(file);
  } catch (error) {
    throw new BackupError((error as Error).message, 4);
  }
  if (parsed.header.dialect !== deps.database.dialect) {
    throw new BackupError(
      `The archive holds a ${parsed.header.dialect} database, the target is ${deps.database.dialect}`,
      3,
    );
  }
  const { master, fromArchive } = chooseKeys(parsed, deps.keyFiles, options.passphrase);
  const manifest = await verifyArchive(file, parsed, master);
  await writeEntries(deps, file, parsed, master);
  if (fromArchive) writeKeys(deps.keyFiles, fromArchive);
  return {
    header: parsed.header,
    files: manifest.files.length,
    keysWritten: fromArchive !== undefined,
  };
}
