import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, unlink } from 'node:fs/promises';
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
} from './storage.streams.js';

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * Files under `<root>/files/<key>`; temporary files under `<root>/tmp` on the same disk, so a
 * finished write is published with one atomic rename.
 */
export function createLocalStorage(root: string): Storage {
  const filesDir = path.resolve(root, 'files');
  const scratch = createScratchDir(path.join(root, 'tmp'));

  function pathOf(key: string): string {
    assertValidKey(key);
    return path.join(filesDir, key);
  }

  function prefixPath(prefix: string): string {
    const trimmed = prefix.replace(/\/+$/, '');
    return pathOf(trimmed);
  }

  async function publish(key: string, tmpPath: string): Promise<string> {
    const target = pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    await rename(tmpPath, target);
    return target;
  }

  async function statOf(key: string): Promise<StoredObject | undefined> {
    try {
      const info = await stat(pathOf(key));
      return info.isFile() ? { key, sizeBytes: info.size, modifiedAt: info.mtime } : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  return {
    async put(
      key: string,
      source: Readable | Buffer,
      options: PutOptions = {},
    ): Promise<PutResult> {
      pathOf(key);
      const tmpPath = scratch.path('part');
      const measure = new MeasuringStream(options.maxBytes);
      try {
        await pipeline(toReadable(source), measure, createWriteStream(tmpPath, { flags: 'wx' }));
        await publish(key, tmpPath);
      } catch (error) {
        await rm(tmpPath, { force: true });
        throw measure.exceeded ? measure.tooLarge() : error;
      }
      return { key, sizeBytes: measure.bytes, sha256: measure.hash.digest('hex') };
    },

    async putFile(key: string, localPath: string): Promise<StoredObject> {
      await publish(key, localPath);
      const stored = await statOf(key);
      if (!stored) throw new Error(`Stored file vanished: ${key}`);
      return stored;
    },

    async get(key: string, range?: ByteRange): Promise<Readable> {
      const stored = await statOf(key);
      if (!stored) throw new AppError('NOT_FOUND', 'File not found');
      return createReadStream(pathOf(key), range ? { start: range.start, end: range.end } : {});
    },

    stat: statOf,

    async delete(key: string): Promise<void> {
      try {
        await unlink(pathOf(key));
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    },

    async deletePrefix(prefix: string): Promise<void> {
      await rm(prefixPath(prefix), { recursive: true, force: true });
    },

    openLocal(key: string): Promise<LocalFile> {
      return Promise.resolve({ path: pathOf(key), release: () => Promise.resolve() });
    },

    scratchPath: (extension) => scratch.path(extension),
    scratchDir: () => scratch.folder(),
    discardScratch: (localPath) => scratch.discard(localPath),
  };
}
