import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../shared/app-error.js';
import type {
  ByteRange,
  LocalFile,
  PutOptions,
  PutResult,
  Storage,
  StoredObject,
} from './storage.types.js';
import {
  assertValidKey,
  createScratchDir,
  MeasuringStream,
  toReadable,
  type ScratchDir,
} from './storage.streams.js';

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** The files of a local storage: where each key lives, and atomic publication into place. */
function localFiles(root: string) {
  const filesDir = path.resolve(root, 'files');
  const pathOf = (key: string): string => {
    assertValidKey(key);
    return path.join(filesDir, key);
  };
  return {
    filesDir,
    pathOf,
    prefixPath: (prefix: string) => pathOf(prefix.replace(/\/+$/, '')),
    async publish(key: string, tmpPath: string): Promise<string> {
      const target = pathOf(key);
      await mkdir(path.dirname(target), { recursive: true });
      await rename(tmpPath, target);
      return target;
    },
    async stat(key: string): Promise<StoredObject | undefined> {
      try {
        const info = await stat(pathOf(key));
        return info.isFile() ? { key, sizeBytes: info.size, modifiedAt: info.mtime } : undefined;
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
  };
}

type LocalFiles = ReturnType<typeof localFiles>;

/** The keys of every file under `dir` (relative to `filesDir`), depth first. */
async function* walkFiles(filesDir: string, dir: string): AsyncGenerator<string> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walkFiles(filesDir, full);
    else if (entry.isFile()) yield path.relative(filesDir, full).split(path.sep).join('/');
  }
}

async function* listLocal(files: LocalFiles, prefix: string): AsyncGenerator<StoredObject> {
  const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
  for await (const key of walkFiles(files.filesDir, path.join(files.filesDir, folder))) {
    if (!key.startsWith(prefix)) continue;
    const stored = await files.stat(key);
    if (stored) yield stored;
  }
}

/** Streams `source` into a scratch file, then publishes it: readers never see a partial file. */
async function putLocal(
  files: LocalFiles,
  scratch: ScratchDir,
  key: string,
  source: Readable | Buffer,
  options: PutOptions = {},
): Promise<PutResult> {
  files.pathOf(key);
  const tmpPath = scratch.path('part');
  const measure = new MeasuringStream(options.maxBytes);
  try {
    await pipeline(toReadable(source), measure, createWriteStream(tmpPath, { flags: 'wx' }));
    await files.publish(key, tmpPath);
  } catch (error) {
    await rm(tmpPath, { force: true });
    throw measure.exceeded ? measure.tooLarge() : error;
  }
  return { key, sizeBytes: measure.bytes, sha256: measure.hash.digest('hex') };
}

async function getLocal(files: LocalFiles, key: string, range?: ByteRange): Promise<Readable> {
  const stored = await files.stat(key);
  if (!stored) throw new AppError('NOT_FOUND', 'File not found');
  return createReadStream(files.pathOf(key), range ? { start: range.start, end: range.end } : {});
}

/**
 * Files under `<root>/files/<key>`; temporary files under `<root>/tmp` on the same disk, so a
 * finished write is published with one atomic rename.
 */
export function createLocalStorage(root: string): Storage {
  const files = localFiles(root);
  const scratch = createScratchDir(path.join(root, 'tmp'));
  return {
    put: (key, source, options) => putLocal(files, scratch, key, source, options),
    async putFile(key: string, localPath: string): Promise<StoredObject> {
      await files.publish(key, localPath);
      const stored = await files.stat(key);
      if (!stored) throw new Error(`Stored file vanished: ${key}`);
      return stored;
    },
    get: (key, range) => getLocal(files, key, range),
    stat: (key) => files.stat(key),
    async delete(key: string): Promise<void> {
      try {
        await unlink(files.pathOf(key));
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    },
    async deletePrefix(prefix: string): Promise<void> {
      await rm(files.prefixPath(prefix), { recursive: true, force: true });
    },
    list: (prefix) => listLocal(files, prefix),
    openLocal(key: string): Promise<LocalFile> {
      return Promise.resolve({ path: files.pathOf(key), release: () => Promise.resolve() });
    },
    scratchPath: (extension) => scratch.path(extension),
    scratchDir: () => scratch.folder(),
    discardScratch: (localPath) => scratch.discard(localPath),
  };
}
