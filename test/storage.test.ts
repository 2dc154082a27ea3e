import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalStorage } from '../src/storage/local.storage.js';
import type { Storage } from '../src/storage/storage.types.js';

function chunks(total: number, size = 1000): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) {
        this.push(null);
        return;
      }
      const n = Math.min(size, total - sent);
      sent += n;
      this.push(Buffer.alloc(n, 'a'));
    },
  });
}

describe('local disk storage', () => {
  let root: string;
  let storage: Storage;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'mpf-storage-'));
    storage = createLocalStorage(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('stores a stream under DATA_DIR/files with its size and SHA-256', async () => {
    const body = Buffer.from('hello footage');
    const result = await storage.put('users/u1/videos/v1/original.mp4', Readable.from([body]));
    expect(result).toEqual({
      key: 'users/u1/videos/v1/original.mp4',
      sizeBytes: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
    });
    expect(existsSync(path.join(root, 'files/users/u1/videos/v1/original.mp4'))).toBe(true);
    expect(await text(await storage.get(result.key))).toBe('hello footage');
  });

  it('serves an inclusive byte range', async () => {
    await storage.put('a/b.txt', Buffer.from('0123456789'));
    expect(await text(await storage.get('a/b.txt', { start: 2, end: 5 }))).toBe('2345');
  });

  it('refuses a stream over the limit and leaves no file, not even a temporary one', async () => {
    await expect(storage.put('a/big.bin', chunks(5000), { maxBytes: 4096 })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
    expect(await storage.stat('a/big.bin')).toBeUndefined();
    expect(readdirSync(path.join(root, 'tmp'))).toEqual([]);
  });

  it('accepts a stream of exactly the limit', async () => {
    const result = await storage.put('a/exact.bin', chunks(4096), { maxBytes: 4096 });
    expect(result.sizeBytes).toBe(4096);
  });

  it('stats, deletes and deletes by prefix for real', async () => {
    await storage.put('users/u1/cases/c1/photos/p1.jpg', Buffer.from('x'));
    await storage.put('users/u1/cases/c1/photos/p2.jpg', Buffer.from('yy'));
    await storage.put('users/u1/cases/c2/photos/p3.jpg', Buffer.from('z'));
    expect(await storage.stat('users/u1/cases/c1/photos/p2.jpg')).toMatchObject({ sizeBytes: 2 });

    await storage.delete('users/u1/cases/c1/photos/p1.jpg');
    await storage.delete('users/u1/cases/c1/photos/p1.jpg');
    expect(await storage.stat('users/u1/cases/c1/photos/p1.jpg')).toBeUndefined();

    await storage.deletePrefix('users/u1/cases/c1/');
    expect(existsSync(path.join(root, 'files/users/u1/cases/c1'))).toBe(false);
    expect(await storage.stat('users/u1/cases/c2/photos/p3.jpg')).toBeDefined();
  });

  it('moves a scratch file into place', async () => {
    const scratch = storage.scratchPath('jpg');
    expect(scratch.startsWith(path.join(root, 'tmp'))).toBe(true);
    writeFileSync(scratch, 'poster');
    const stored = await storage.putFile('users/u1/videos/v1/poster.jpg', scratch);
    expect(stored.sizeBytes).toBe(6);
    expect(existsSync(scratch)).toBe(false);
    const local = await storage.openLocal('users/u1/videos/v1/poster.jpg');
    expect(local.path).toBe(path.join(root, 'files/users/u1/videos/v1/poster.jpg'));

    const failed = storage.scratchPath('mp4');
    writeFileSync(failed, 'half an encode');
    await storage.discardScratch(failed);
    expect(existsSync(failed)).toBe(false);
    await expect(storage.discardScratch(local.path)).rejects.toThrow(/Not a scratch/);
  });

  it('answers NOT_FOUND for a missing key and rejects keys that escape the root', async () => {
    await expect(storage.get('nope/missing.bin')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(storage.put('../outside.txt', Buffer.from('x'))).rejects.toThrow(/Invalid/);
    await expect(storage.put('a/../../outside.txt', Buffer.from('x'))).rejects.toThrow(/Invalid/);
  });
});
