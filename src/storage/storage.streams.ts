import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { AppError } from '../shared/app-error.js';

// Keys are built by the server, but a bug must never turn one into a path outside the root.
const KEY_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

/** Throws on a key that is not a plain relative path of safe names. */
export function assertValidKey(key: string): void {
  if (!KEY_PATTERN.test(key)) throw new Error(`Invalid storage key: ${key}`);
}

/** The stream a write consumes, whether the caller passed bytes or a stream. */
export const toReadable = (source: Readable | Buffer): Readable =>
  Buffer.isBuffer(source) ? Readable.from([source]) : source;

/** Counts and hashes bytes on their way to storage, failing as soon as the limit is passed. */
export class MeasuringStream extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  exceeded = false;

  constructor(private readonly maxBytes = Number.POSITIVE_INFINITY) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      this.exceeded = true;
      done(new Error('The size limit was passed'));
      return;
    }
    this.hash.update(chunk);
    done(null, chunk);
  }

  /** The error a caller sees when the limit was passed. */
  tooLarge(): AppError {
    return new AppError(
      'PAYLOAD_TOO_LARGE',
      `The file is larger than the limit of ${this.maxBytes} bytes`,
      { maxBytes: this.maxBytes },
    );
  }
}

/** Temporary files on local disk (ffmpeg output, partial writes, local copies of objects). */
export interface ScratchDir {
  dir: string;
  path(extension: string): string;
  /** A fresh empty folder for temporary files. */
  folder(): Promise<string>;
  /** Removes a temporary file or folder made here. */
  discard(localPath: string): Promise<void>;
}

export function createScratchDir(dir: string): ScratchDir {
  const resolvedDir = path.resolve(dir);
  mkdirSync(resolvedDir, { recursive: true });
  return {
    dir: resolvedDir,
    path(extension) {
      const suffix = extension.replace(/^\.?/, '.').replace(/[^A-Za-z0-9.]/g, '');
      return path.join(resolvedDir, `${randomUUID()}${suffix === '.' ? '' : suffix}`);
    },
    async folder() {
      const made = path.join(resolvedDir, randomUUID());
      await mkdir(made);
      return made;
    },
    async discard(localPath) {
      const resolved = path.resolve(localPath);
      if (path.dirname(resolved) !== resolvedDir) {
        throw new Error(`Not a scratch file: ${localPath}`);
      }
      await rm(resolved, { force: true, recursive: true });
    },
  };
}
