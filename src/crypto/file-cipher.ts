import { hkdfSync, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { KEY_BYTES, NONCE_BYTES, openWithNonce, sealWithNonce, TAG_BYTES } from './aead.js';

/*
 * Encrypted file format (version 1), built for streaming and byte ranges:
 *
 *   header  "MPFE" ‖ version ‖ scope length ‖ scope (64 bytes, zero padded) ‖ salt (32 bytes)
 *   chunks  AES-256-GCM of each 64 KiB of plaintext, followed by its 16-byte tag
 *
 * Each file has its own key, HKDF(data key of its scope, salt), so chunk nonces (the chunk's
 * index and a last-chunk flag, as in the STREAM construction) never repeat under one key and a
 * truncated file fails to decrypt. The header is authenticated with every chunk. The scope names
 * whose data key opens the file (`case:<id>`, `user:<id>`): destroying that key shreds the file.
 */
const MAGIC = Buffer.from('MPFE');
const VERSION = 1;
const SCOPE_FIELD_BYTES = 64;
const SALT_BYTES = 32;
export const HEADER_BYTES = MAGIC.length + 2 + SCOPE_FIELD_BYTES + SALT_BYTES;
export const CHUNK_BYTES = 64 * 1024;
const SEALED_CHUNK_BYTES = CHUNK_BYTES + TAG_BYTES;

export interface FileHeader {
  scope: string;
  salt: Buffer;
  bytes: Buffer;
}

export function newFileHeader(scope: string): FileHeader {
  const scopeBytes = Buffer.from(scope, 'ascii');
  if (scopeBytes.length > SCOPE_FIELD_BYTES) throw new Error(`Scope too long: ${scope}`);
  const salt = randomBytes(SALT_BYTES);
  const bytes = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(bytes, 0);
  bytes[4] = VERSION;
  bytes[5] = scopeBytes.length;
  scopeBytes.copy(bytes, 6);
  salt.copy(bytes, 6 + SCOPE_FIELD_BYTES);
  return { scope, salt, bytes };
}

/** True when `start` (a file's first bytes) opens an encrypted file; false for a plain one. */
export const isEncryptedFile = (start: Buffer): boolean =>
  start.length >= MAGIC.length && start.subarray(0, MAGIC.length).equals(MAGIC);

export function parseFileHeader(bytes: Buffer): FileHeader {
  if (bytes.length < HEADER_BYTES || !isEncryptedFile(bytes) || bytes[4] !== VERSION) {
    throw new Error('Not an encrypted file of a known version');
  }
  const scope = bytes.subarray(6, 6 + (bytes[5] ?? 0)).toString('ascii');
  const salt = Buffer.from(bytes.subarray(6 + SCOPE_FIELD_BYTES, HEADER_BYTES));
  return { scope, salt, bytes: Buffer.from(bytes.subarray(0, HEADER_BYTES)) };
}

const fileKey = (dataKey: Buffer, header: FileHeader): Buffer =>
  Buffer.from(hkdfSync('sha256', dataKey, header.salt, 'mpf-file-v1', KEY_BYTES));

function chunkNonce(index: number, last: boolean): Buffer {
  const nonce = Buffer.alloc(NONCE_BYTES);
  nonce.writeUIntBE(index, NONCE_BYTES - 7, 6);
  nonce[NONCE_BYTES - 1] = last ? 1 : 0;
  return nonce;
}

/** The plaintext size of an encrypted file of `storedBytes` bytes. */
export function plainSize(storedBytes: number): number {
  const body = storedBytes - HEADER_BYTES;
  const chunks = Math.max(1, Math.ceil(body / SEALED_CHUNK_BYTES));
  return body - chunks * TAG_BYTES;
}

/** Encrypts a stream: the header first, then each chunk once the next byte shows it is not last. */
export class EncryptingStream extends Transform {
  private readonly key: Buffer;
  private pending = Buffer.alloc(0);
  private index = 0;

  constructor(
    dataKey: Buffer,
    private readonly header: FileHeader,
  ) {
    super();
    this.key = fileKey(dataKey, header);
    this.push(header.bytes);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    while (this.pending.length > CHUNK_BYTES) {
      this.push(this.sealNext(this.pending.subarray(0, CHUNK_BYTES), false));
      this.pending = this.pending.subarray(CHUNK_BYTES);
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    this.push(this.sealNext(this.pending, true));
    done();
  }

  private sealNext(plain: Buffer, last: boolean): Buffer {
    const nonce = chunkNonce(this.index++, last);
    return sealWithNonce(this.key, nonce, plain, this.header.bytes);
  }
}

/** Where the sealed chunks holding plaintext bytes `start`…`end` (inclusive) are stored. */
export function sealedSpan(storedBytes: number, start: number, end: number) {
  const firstChunk = Math.floor(start / CHUNK_BYTES);
  const lastChunk = Math.floor(end / CHUNK_BYTES);
  return {
    firstChunk,
    skip: start - firstChunk * CHUNK_BYTES,
    length: end - start + 1,
    start: HEADER_BYTES + firstChunk * SEALED_CHUNK_BYTES,
    end: Math.min(HEADER_BYTES + (lastChunk + 1) * SEALED_CHUNK_BYTES, storedBytes) - 1,
    reachesFileEnd: HEADER_BYTES + (lastChunk + 1) * SEALED_CHUNK_BYTES >= storedBytes,
  };
}

export type SealedSpan = ReturnType<typeof sealedSpan>;

/** Decrypts the sealed chunks of `span` and yields exactly the plaintext bytes it asked for. */
export class DecryptingStream extends Transform {
  private readonly key: Buffer;
  private pending = Buffer.alloc(0);
  private index: number;
  private toSkip: number;
  private toEmit: number;

  constructor(
    dataKey: Buffer,
    private readonly header: FileHeader,
    private readonly span: SealedSpan,
  ) {
    super();
    this.key = fileKey(dataKey, header);
    this.index = span.firstChunk;
    this.toSkip = span.skip;
    this.toEmit = span.length;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    try {
      while (this.pending.length > SEALED_CHUNK_BYTES) {
        this.pushWanted(this.openNext(this.pending.subarray(0, SEALED_CHUNK_BYTES), false));
        this.pending = this.pending.subarray(SEALED_CHUNK_BYTES);
      }
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      if (this.pending.length > 0 || this.span.reachesFileEnd) {
        this.pushWanted(this.openNext(this.pending, this.span.reachesFileEnd));
      }
      done(this.toEmit > 0 ? new Error('Encrypted file ended early') : null);
    } catch (error) {
      done(error as Error);
    }
  }

  private openNext(sealed: Buffer, last: boolean): Buffer {
    const nonce = chunkNonce(this.index++, last);
    return openWithNonce(this.key, nonce, sealed, this.header.bytes);
  }

  private pushWanted(plain: Buffer): void {
    const wanted = plain.subarray(this.toSkip, this.toSkip + this.toEmit);
    this.toSkip = Math.max(0, this.toSkip - plain.length);
    this.toEmit -= wanted.length;
    if (wanted.length > 0) this.push(wanted);
  }
}
