import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { mkdir, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
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

// Keys are built by the server, but a bug must never turn one into a path outside the root.
const KEY_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

class SizeLimitExceeded extends Error {}

/** Counts and hashes bytes on their way to disk, failing as soon as the limit is passed. */
class MeasuringStream extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      done(new SizeLimitExceeded());
      return;
    }
    this.hash.update(chunk);
    done(null, chunk);
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * Files under `<root>/files/<key>`; temporary files under `<root>/tmp` on the same disk, so a
 * finished write is published with one atomic rename.
 */
export function createLocalStorage(root: string): Storage {
  const filesDir = path.resolve(root, 'files');
  const scratchDir = path.resolve(root, 'tmp');
  mkdirSync(scratchDir, { recursive: true });

  function pathOf(key: string): string {
    if (!KEY_PATTERN.test(key)) throw new Error(`Invalid storage key: ${key}`);
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

  function scratchPath(extension: string): string {
    const suffix = extension.replace(/^\.?/, '.').replace(/[^A-Za-z0-9.]/g, '');
    return path.join(scratchDir, `${randomUUID()}${suffix === '.' ? '' : suffix}`);
  }

  return {
    async put(
      key: string,
      source: Readable | Buffer,
      options: PutOptions = {},
    ): Promise<PutResult> {
      pathOf(key);
      const tmpPath = scratchPath('part');
      const measure = new MeasuringStream(options.maxBytes ?? Number.POSITIVE_INFINITY);
      const input = Buffer.isBuffer(source) ? Readable.from([source]) : source;
      try {
        await pipeline(input, measure, createWriteStream(tmpPath, { flags: 'wx' }));
        await publish(key, tmpPath);
      } catch (error) {
        await rm(tmpPath, { force: true });
        if (error instanceof SizeLimitExceeded) {
          throw new AppError(
            'PAYLOAD_TOO_LARGE',
            `The file is larger than the limit of ${options.maxBytes} bytes`,
            { maxBytes: options.maxBytes },
          );
        }
        throw error;
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

    scratchPath(extension: string): string {
      return scratchPath(extension);
    },

    async discardScratch(localPath: string): Promise<void> {
      const resolved = path.resolve(localPath);
      if (path.dirname(resolved) !== scratchDir)
        throw new Error(`Not a scratch file: ${localPath}`);
      await rm(resolved, { force: true });
    },
  };
}
