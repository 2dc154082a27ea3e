import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer, text } from 'node:stream/consumers';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newKey } from '../../src/crypto/aead.js';
import { loopbackFileEnv, loopbackFileHeaders } from '../../src/shared/loopback-file.js';
import { createEncryptedStorage, type FileKeys } from '../../src/storage/encrypted.storage.js';
import { createLocalStorage } from '../../src/storage/local.storage.js';
import { createS3Storage, parseS3Url } from '../../src/storage/s3.storage.js';
import type { Storage } from '../../src/storage/storage.types.js';
import { S3_CREDENTIALS, startS3Server, type TestS3Server } from '../support/s3-server.js';

const MiB = 1024 * 1024;

/** `total` bytes of a repeating pattern, in chunks: parts of a multipart upload differ. */
function chunks(total: number, size = 64 * 1024): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) {
        this.push(null);
        return;
      }
      const n = Math.min(size, total - sent);
      const chunk = Buffer.alloc(n);
      for (let i = 0; i < n; i += 1) chunk[i] = (sent + i) % 251;
      sent += n;
      this.push(chunk);
    },
  });
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** One adapter under test, with a way to see everything it left behind. */
interface Subject {
  storage: Storage;
  root: string;
  /** Every stored key. */
  stored(): Promise<string[]>;
  close(): Promise<void>;
}

function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

let s3: TestS3Server;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  await s3.close();
});

/** Data keys in memory, one scope per owner folder; `destroy` shreds a scope as the keyring does. */
function memoryKeys() {
  const keys = new Map<string, Buffer>();
  return {
    scopeOf: (key: string) => Promise.resolve(`user:${key.split('/')[1] ?? 'x'}`),
    dataKey(scope: string, options: { create: boolean }) {
      if (!keys.has(scope) && options.create) keys.set(scope, newKey());
      const key = keys.get(scope);
      return key ? Promise.resolve(key) : Promise.reject(new Error(`No data key for ${scope}`));
    },
    destroy: (scope: string) => keys.delete(scope),
  } satisfies FileKeys & { destroy(scope: string): boolean };
}

/** The bytes of a file opened for ffmpeg: a local path, or a loopback URL for an encrypted one. */
async function readLocal(local: string): Promise<string> {
  return local.startsWith('http://127.0.0.1:')
    ? (await fetch(local, { headers: loopbackFileHeaders(local) })).text()
    : readFileSync(local, 'utf8');
}

const plainAdapters: { name: string; open(root: string): Promise<Subject> }[] = [
  {
    name: 'local disk',
    open: (root) => {
      const storage = createLocalStorage(root);
      return Promise.resolve({
        storage,
        root,
        stored: () => Promise.resolve(listFiles(path.join(root, 'files')).sort()),
        close: () => Promise.resolve(),
      });
    },
  },
  {
    name: 'S3 (s3rver on loopback)',
    async open(root) {
      const url = await s3.createBucket();
      const storage = createS3Storage({
        location: parseS3Url(url),
        credentials: S3_CREDENTIALS,
        scratchRoot: path.join(root, 'tmp'),
      });
      return { storage, root, stored: () => s3.keys(url), close: () => Promise.resolve() };
    },
  },
];

const adapters = [
  ...plainAdapters,
  ...plainAdapters.map((plain) => ({
    name: `encryption over ${plain.name}`,
    async open(root: string): Promise<Subject> {
      const subject = await plain.open(root);
      return { ...subject, storage: createEncryptedStorage(subject.storage, memoryKeys()) };
    },
  })),
];

describe.each(adapters)('storage on $name', (adapter) => {
  let subject: Subject;
  let storage: Storage;
  const scratchFiles = () => readdirSync(path.join(subject.root, 'tmp'));
  beforeEach(async () => {
    subject = await adapter.open(mkdtempSync(path.join(os.tmpdir(), 'mpf-storage-')));
    storage = subject.storage;
  });
  afterEach(async () => {
    await subject.close();
    rmSync(subject.root, { recursive: true, force: true });
  });

  it('stores a stream under its key with its size and SHA-256', async () => {
    const body = Buffer.from('hello footage');
    const result = await storage.put('users/u1/videos/v1/original.mp4', Readable.from([body]));
    expect(result).toEqual({
      key: 'users/u1/videos/v1/original.mp4',
      sizeBytes: body.length,
      sha256: sha256(body),
    });
    expect(await subject.stored()).toEqual(['users/u1/videos/v1/original.mp4']);
    expect(await text(await storage.get(result.key))).toBe('hello footage');
  });

  it('serves an inclusive byte range', async () => {
    await storage.put('a/b.txt', Buffer.from('0123456789'));
    expect(await text(await storage.get('a/b.txt', { start: 2, end: 5 }))).toBe('2345');
  });

  it('streams a file larger than one upload part in and out whole, and by ranges across parts', async () => {
    const size = 12 * MiB + 123;
    const expected = await buffer(chunks(size));
    const result = await storage.put('v/big.bin', chunks(size), { maxBytes: size });
    expect(result).toMatchObject({ sizeBytes: size, sha256: sha256(expected) });
    expect((await storage.stat('v/big.bin'))?.sizeBytes).toBe(size);
    expect(sha256(await buffer(await storage.get('v/big.bin')))).toBe(sha256(expected));
    const across = { start: 5 * MiB - 10, end: 5 * MiB + 9 };
    expect(await buffer(await storage.get('v/big.bin', across))).toEqual(
      expected.subarray(across.start, across.end + 1),
    );
  });

  it('refuses a stream over the limit and leaves nothing behind, small or multipart', async () => {
    await expect(storage.put('a/big.bin', chunks(5000), { maxBytes: 4096 })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
    await expect(
      storage.put('a/huge.bin', chunks(12 * MiB), { maxBytes: 11 * MiB }),
    ).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(await storage.stat('a/big.bin')).toBeUndefined();
    expect(await storage.stat('a/huge.bin')).toBeUndefined();
    expect(await subject.stored()).toEqual([]);
    expect(scratchFiles()).toEqual([]);
  });

  it('accepts a stream of exactly the limit', async () => {
    const result = await storage.put('a/exact.bin', chunks(4096), { maxBytes: 4096 });
    expect(result.sizeBytes).toBe(4096);
  });

  it('stats, deletes and deletes by prefix for real', async () => {
    await storage.put('users/u1/cases/c1/photos/p1.jpg', Buffer.from('x'));
    await storage.put('users/u1/cases/c1/photos/p2.jpg', Buffer.from('yy'));
    await storage.put('users/u1/cases/c1/note.txt', Buffer.from('n'));
    await storage.put('users/u1/cases/c10/photos/p3.jpg', Buffer.from('z'));
    expect(await storage.stat('users/u1/cases/c1/photos/p2.jpg')).toMatchObject({ sizeBytes: 2 });

    await storage.delete('users/u1/cases/c1/photos/p1.jpg');
    await storage.delete('users/u1/cases/c1/photos/p1.jpg');
    expect(await storage.stat('users/u1/cases/c1/photos/p1.jpg')).toBeUndefined();

    await storage.deletePrefix('users/u1/cases/c1/');
    expect(await subject.stored()).toEqual(['users/u1/cases/c10/photos/p3.jpg']);
  });

  it('moves a scratch file into place and gives ffmpeg a local file to read', async () => {
    const scratch = storage.scratchPath('jpg');
    expect(scratch.startsWith(path.join(subject.root, 'tmp'))).toBe(true);
    writeFileSync(scratch, 'poster');
    const stored = await storage.putFile('users/u1/videos/v1/poster.jpg', scratch);
    expect(stored.sizeBytes).toBe(6);
    expect(existsSync(scratch)).toBe(false);
    expect(await subject.stored()).toEqual(['users/u1/videos/v1/poster.jpg']);

    const local = await storage.openLocal('users/u1/videos/v1/poster.jpg');
    expect(await readLocal(local.path)).toBe('poster');
    await local.release();
    expect(await subject.stored()).toEqual(['users/u1/videos/v1/poster.jpg']);
    expect(scratchFiles()).toEqual([]);

    const failed = storage.scratchPath('mp4');
    writeFileSync(failed, 'half an encode');
    await storage.discardScratch(failed);
    expect(existsSync(failed)).toBe(false);
    await expect(storage.discardScratch(path.join(subject.root, 'elsewhere.mp4'))).rejects.toThrow(
      /Not a scratch/,
    );
  });

  it('answers NOT_FOUND for a missing key and rejects keys that escape the root', async () => {
    await expect(storage.get('nope/missing.bin')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await storage.stat('nope/missing.bin')).toBeUndefined();
    await expect(storage.put('../outside.txt', Buffer.from('x'))).rejects.toThrow(/Invalid/);
    await expect(storage.put('a/../../outside.txt', Buffer.from('x'))).rejects.toThrow(/Invalid/);
    await expect(storage.deletePrefix('../')).rejects.toThrow(/Invalid/);
  });
});

describe('local disk layout', () => {
  it('keeps files under DATA_DIR/files and opens them in place', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'mpf-storage-'));
    try {
      const storage = createLocalStorage(root);
      await storage.put('users/u1/a.txt', Buffer.from('a'));
      const local = await storage.openLocal('users/u1/a.txt');
      expect(local.path).toBe(path.join(root, 'files/users/u1/a.txt'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('S3 settings', () => {
  it('reads bucket, endpoint, region and path style from STORAGE_URL', () => {
    expect(
      parseS3Url(
        's3://footage?endpoint=http://127.0.0.1:9000&region=eu-west-1&forcePathStyle=true',
      ),
    ).toEqual({
      bucket: 'footage',
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-west-1',
      forcePathStyle: true,
    });
    expect(parseS3Url('s3://footage')).toEqual({
      bucket: 'footage',
      endpoint: undefined,
      region: 'us-east-1',
      forcePathStyle: false,
    });
    expect(() => parseS3Url('s3://footage/some/prefix')).toThrow(/s3:\/\/bucket/);
    expect(() => parseS3Url('s3://footage?endpiont=x')).toThrow(/unknown options: endpiont/);
  });

  it('sends the credentials it is given: an unknown access key is refused', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'mpf-storage-'));
    const storage = createS3Storage({
      location: parseS3Url(await s3.createBucket()),
      credentials: { accessKeyId: 'NOBODY', secretAccessKey: 'S3RVER' },
      scratchRoot: root,
    });
    await expect(storage.put('a/b.txt', Buffer.from('x'))).rejects.toThrow(/Access Key Id/);
    rmSync(root, { recursive: true, force: true });
  });
});

describe('encryption at rest', () => {
  let root: string;
  let keys: ReturnType<typeof memoryKeys>;
  let storage: Storage;
  const storedBytes = (key: string) => readFileSync(path.join(root, 'files', key));
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'mpf-sealed-'));
    keys = memoryKeys();
    storage = createEncryptedStorage(createLocalStorage(root), keys);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('stores no plaintext, and reads back every size and range across chunk boundaries', async () => {
    for (const size of [0, 1, 65_535, 65_536, 65_537, 131_072, 200_001]) {
      const body = await buffer(chunks(size, 7_000));
      const key = `users/u1/videos/v${size}/f.bin`;
      expect((await storage.put(key, Readable.from([body]))).sha256).toBe(sha256(body));
      if (size >= 64) expect(storedBytes(key).includes(body.subarray(0, 64))).toBe(false);
      expect((await storage.stat(key))?.sizeBytes).toBe(size);
      expect(await buffer(await storage.get(key))).toEqual(body);
      for (const [start, end] of [
        [0, 0],
        [65_535, 65_536],
        [size - 3, size - 1],
        [1, size - 2],
      ]) {
        if (start! < 0 || end! >= size || start! > end!) continue;
        const part = await buffer(await storage.get(key, { start: start!, end: end! }));
        expect(part, `${size} ${start}-${end}`).toEqual(body.subarray(start, end! + 1));
      }
    }
  });

  it('refuses a tampered or truncated file, and nothing reads once the key is destroyed', async () => {
    const key = 'users/u2/videos/v1/f.bin';
    await storage.put(key, await buffer(chunks(150_000)));
    const sealed = storedBytes(key);
    const tampered = Buffer.from(sealed);
    tampered[sealed.length - 100]! ^= 1;
    writeFileSync(path.join(root, 'files', key), tampered);
    await expect(buffer(await storage.get(key))).rejects.toThrow();
    writeFileSync(path.join(root, 'files', key), sealed.subarray(0, sealed.length - 16 - 65_536));
    await expect(buffer(await storage.get(key))).rejects.toThrow();

    writeFileSync(path.join(root, 'files', key), sealed);
    expect((await buffer(await storage.get(key))).length).toBe(150_000);
    keys.destroy('user:u2');
    await expect(storage.get(key)).rejects.toThrow(/No data key/);
  });

  it('opens a file for ffmpeg only to a client holding its secret, and only until released', async () => {
    await storage.put('users/u4/videos/v1/f.bin', Buffer.from('decrypted footage'));
    const local = await storage.openLocal('users/u4/videos/v1/f.bin');
    expect((await fetch(local.path)).status).toBe(401);
    const forged = { authorization: `Basic ${Buffer.from('mpf:guess').toString('base64')}` };
    expect((await fetch(local.path, { headers: forged })).status).toBe(401);
    const env = loopbackFileEnv(['-i', local.path]);
    expect(env.http_proxy).toMatch(/^http:\/\/mpf:[\w-]+@127\.0\.0\.1:\d+$/);
    expect(await readLocal(local.path)).toBe('decrypted footage');
    await local.release();
    expect((await fetch(local.path, { headers: loopbackFileHeaders(local.path) })).status).toBe(
      404,
    );
  });

  it('still reads a file stored before encryption, as it is', async () => {
    await createLocalStorage(root).put('users/u3/videos/v1/old.txt', Buffer.from('plain old file'));
    expect(await text(await storage.get('users/u3/videos/v1/old.txt'))).toBe('plain old file');
    expect((await storage.stat('users/u3/videos/v1/old.txt'))?.sizeBytes).toBe(14);
  });
});
