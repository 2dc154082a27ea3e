import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, mkdtemp, open, readdir, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import {
  BACKUP_HEADER_SPAN,
  BODY_HEADER_BYTES,
  openBackupBody,
  parseBackupHeader,
  type ParsedBackupHeader,
} from '../crypto/backup-cipher.js';
import type { MasterKey } from '../crypto/master-key.js';

/** One entry of an archive being written: its name, size and bytes. */
export interface ArchiveSource {
  name: string;
  size: number;
  bytes: Readable | Buffer;
}

function addEntry(pack: tar.Pack, source: ArchiveSource): Promise<void> {
  return new Promise((resolve, reject) => {
    const headers = { name: source.name, size: source.size, mode: 0o600 };
    if (Buffer.isBuffer(source.bytes)) {
      pack.entry(headers, source.bytes, (error) => (error ? reject(error) : resolve()));
      return;
    }
    const entry = pack.entry(headers, (error) => (error ? reject(error) : resolve()));
    source.bytes.once('error', reject);
    source.bytes.pipe(entry);
  });
}

/**
 * Writes an archive to `<out>.partial` (0600) and renames it to `out` once complete, so a file
 * named like a backup is always a whole one.
 */
export function openArchiveWriter(out: string, sealed: { prefix: Buffer; encrypt: Transform }) {
  const partial = `${out}.partial`;
  const file = createWriteStream(partial, { mode: 0o600 });
  file.write(sealed.prefix);
  const pack = tar.pack();
  const written = pipeline(pack, sealed.encrypt, file);
  written.catch(() => undefined);
  return {
    add: (source: ArchiveSource) => addEntry(pack, source),
    async finish(): Promise<number> {
      pack.finalize();
      await written;
      await chmod(partial, 0o600);
      await rename(partial, out);
      return (await stat(out)).size;
    },
    async abort(): Promise<void> {
      pack.destroy();
      await written.catch(() => undefined);
      await rm(partial, { force: true });
    },
  };
}

async function readStart(file: string, bytes: number, position = 0): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, position);
    return buffer.subarray(0, bytesRead);
  } catch (error) {
    throw new Error(`Cannot read ${file}: ${(error as Error).message}`);
  } finally {
    await handle.close();
  }
}

/** The plain header of the archive at `file`. */
export async function readArchiveHeader(file: string): Promise<ParsedBackupHeader> {
  return parseBackupHeader(await readStart(file, BACKUP_HEADER_SPAN));
}

/**
 * Reads every entry of the archive, decrypted and authenticated, in order; `onEntry` consumes
 * each one's bytes. Rejects on any altered or missing byte (the last chunk is authenticated
 * as the last, so a cut archive fails too).
 */
export async function readArchive(
  file: string,
  parsed: ParsedBackupHeader,
  master: MasterKey,
  onEntry: (name: string, bytes: Readable) => Promise<void>,
): Promise<void> {
  const size = (await stat(file)).size;
  const bodyStart = parsed.bodyOffset;
  const fileHeader = await readStart(file, BODY_HEADER_BYTES, bodyStart);
  const decrypt = openBackupBody(parsed, master, fileHeader, size - bodyStart);
  const extract = tar.extract();
  const flowing = pipeline(
    createReadStream(file, { start: bodyStart + BODY_HEADER_BYTES }),
    decrypt,
    extract,
  );
  flowing.catch(() => undefined);
  for await (const entry of extract) await onEntry(entry.header.name, entry);
  await flowing;
}

/** A private (0700) scratch folder for a database snapshot; removed by `remove`. */
export async function workDir(prefix: string) {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return {
    dir,
    file: (name: string) => path.join(dir, name),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export const fileSize = async (file: string): Promise<number> => (await stat(file)).size;

export const readFileStream = (file: string): Readable => createReadStream(file);

/** Streams `bytes` to `file` (0600) through a temporary name. */
export async function writeFileAtomically(file: string, bytes: Readable): Promise<void> {
  const partial = `${file}.partial`;
  await pipeline(bytes, createWriteStream(partial, { mode: 0o600 }));
  await rename(partial, file);
}

/** What is in a data directory besides the key folder and scratch space (absent: nothing). */
export async function dataDirContents(dataDir: string): Promise<string[]> {
  try {
    return (await readdir(dataDir)).filter((name) => name !== 'keys' && name !== 'tmp');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

const ARCHIVE_NAME = /^mpf-backup-.*\.mpfb$/;

/** The file name of a scheduled backup made at `at`. */
export const archiveName = (at: Date): string =>
  `mpf-backup-${at.toISOString().replace(/[:.]/g, '-')}.mpfb`;

/** Deletes all but the newest `keep` backups in `dir` (by name, which sorts by time); returns them. */
export async function rotateArchives(dir: string, keep: number): Promise<string[]> {
  const names = (await readdir(dir)).filter((name) => ARCHIVE_NAME.test(name)).sort();
  const old = names.slice(0, Math.max(0, names.length - keep));
  await Promise.all(old.map((name) => rm(path.join(dir, name), { force: true })));
  return old;
}
