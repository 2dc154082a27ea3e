import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import {
  DecryptingStream,
  EncryptingStream,
  HEADER_BYTES,
  isEncryptedFile,
  newFileHeader,
  parseFileHeader,
  plainSize,
  sealedSpan,
  type FileHeader,
} from '../crypto/file-cipher.js';
import { createLoopbackFileServer } from './loopback-file-server.js';
import { MeasuringStream, toReadable } from './storage.streams.js';
import type { ByteRange, PutOptions, PutResult, Storage, StoredObject } from './storage.types.js';

/** Which data key seals a stored file, and that key. */
export interface FileKeys {
  scopeOf(storageKey: string): Promise<string>;
  dataKey(scope: string, options: { create: boolean }): Promise<Buffer>;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** The first bytes of a stored file: its header, or (for a file stored before encryption) none. */
async function headerOf(
  inner: Storage,
  key: string,
  size: number,
): Promise<FileHeader | undefined> {
  if (size < HEADER_BYTES) return undefined;
  const start = await readAll(await inner.get(key, { start: 0, end: HEADER_BYTES - 1 }));
  return isEncryptedFile(start) ? parseFileHeader(start) : undefined;
}

async function sealInto(
  inner: Storage,
  keys: FileKeys,
  key: string,
  source: Readable,
  measure: MeasuringStream,
): Promise<void> {
  // Bytes are counted from the first one, while the key is looked up, so an upload past its
  // limit is refused before the rest of it is read.
  const measured = source.pipe(measure);
  // `pipe` does not pass errors on: a failed source or a passed size limit must fail the write.
  const failed = new Promise<never>((_resolve, reject) => {
    for (const stage of [source, measure]) stage.on('error', reject);
  });
  failed.catch(() => undefined);
  const scope = await Promise.race([keys.scopeOf(key), failed]);
  const dataKey = await Promise.race([keys.dataKey(scope, { create: true }), failed]);
  const encrypt = new EncryptingStream(dataKey, newFileHeader(scope));
  failed.catch((error: unknown) => encrypt.destroy(error as Error));
  await inner.put(key, measured.pipe(encrypt));
}

async function putSealed(
  inner: Storage,
  keys: FileKeys,
  key: string,
  source: Readable | Buffer,
  options: PutOptions = {},
): Promise<PutResult> {
  const measure = new MeasuringStream(options.maxBytes);
  const input = toReadable(source);
  try {
    await sealInto(inner, keys, key, input, measure);
  } catch (error) {
    input.destroy();
    throw measure.exceeded ? measure.tooLarge() : error;
  }
  return { key, sizeBytes: measure.bytes, sha256: measure.hash.digest('hex') };
}

async function getOpened(
  inner: Storage,
  keys: FileKeys,
  key: string,
  range?: ByteRange,
): Promise<Readable> {
  const stored = await inner.stat(key);
  const header = stored && (await headerOf(inner, key, stored.sizeBytes));
  if (!stored || !header) return inner.get(key, range);
  const size = plainSize(stored.sizeBytes);
  const wanted = range ?? { start: 0, end: size - 1 };
  if (wanted.end < wanted.start) return toReadable(Buffer.alloc(0));
  const span = sealedSpan(stored.sizeBytes, wanted.start, Math.min(wanted.end, size - 1));
  const dataKey = await keys.dataKey(header.scope, { create: false });
  const sealed = await inner.get(key, { start: span.start, end: span.end });
  const decrypt = new DecryptingStream(dataKey, header, span);
  sealed.on('error', (error) => decrypt.destroy(error));
  return sealed.pipe(decrypt);
}

async function statOpened(inner: Storage, key: string): Promise<StoredObject | undefined> {
  const stored = await inner.stat(key);
  if (!stored || !(await headerOf(inner, key, stored.sizeBytes))) return stored;
  return { ...stored, sizeBytes: plainSize(stored.sizeBytes) };
}

/**
 * Every stored file sealed with its scope's data key (see crypto/file-cipher.ts) on its way in
 * and opened on its way out, byte ranges included; ffmpeg reads through a loopback server, so no
 * decrypted copy is ever written. Files stored before encryption was added still read as they are.
 */
export function createEncryptedStorage(inner: Storage, keys: FileKeys): Storage {
  const storage: Storage = {
    put: (key, source, options) => putSealed(inner, keys, key, source, options),
    async putFile(key, localPath) {
      await putSealed(inner, keys, key, createReadStream(localPath));
      await rm(localPath, { force: true });
      const stored = await statOpened(inner, key);
      if (!stored) throw new Error(`Stored file vanished: ${key}`);
      return stored;
    },
    get: (key, range) => getOpened(inner, keys, key, range),
    stat: (key) => statOpened(inner, key),
    delete: (key) => inner.delete(key),
    deletePrefix: (prefix) => inner.deletePrefix(prefix),
    list: (prefix) => inner.list(prefix),
    openLocal: (key) => files.open(key),
    scratchPath: (extension) => inner.scratchPath(extension),
    scratchDir: () => inner.scratchDir(),
    discardScratch: (localPath) => inner.discardScratch(localPath),
  };
  const files = createLoopbackFileServer(storage);
  return storage;
}
