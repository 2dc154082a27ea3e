import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import { isEncryptedFile } from './file-cipher.js';

/** Every column that holds a storage key (the product's files are all named by a row). */
const FILE_KEY_COLUMNS = [
  ['person_photos', 'storage_key'],
  ['videos', 'storage_key'],
  ['videos', 'poster_key'],
  ['videos', 'playback_key'],
  ['appearances', 'clip_key'],
  ['detections', 'frame_key'],
  ['detections', 'face_key'],
] as const;

/** The storage as it is (the files' stored bytes) and as the app sees it (sealing on `put`). */
interface FileStores {
  plain: {
    stat(key: string): Promise<{ sizeBytes: number } | undefined>;
    get(key: string, range?: { start: number; end: number }): Promise<Readable>;
  };
  sealed: { put(key: string, source: Readable): Promise<unknown> };
}

async function storedFileKeys(db: Executor): Promise<string[]> {
  const keys = new Set<string>();
  for (const [table, column] of FILE_KEY_COLUMNS) {
    const { rows } = await sql<{ key: string }>`
      select ${sql.ref(column)} as key from ${sql.table(table)}
      where ${sql.ref(column)} is not null`.execute(db);
    for (const row of rows) keys.add(row.key);
  }
  return [...keys].sort();
}

async function startOf(stores: FileStores, key: string, size: number): Promise<Buffer> {
  if (size === 0) return Buffer.alloc(0);
  const parts: Buffer[] = [];
  for await (const part of await stores.plain.get(key, { start: 0, end: 3 })) {
    parts.push(part as Buffer);
  }
  return Buffer.concat(parts);
}

/**
 * Seals every stored file written before encryption (one without the MPFE header) by storing it
 * again through the sealing storage, and answers how many it sealed. Files already sealed are
 * left alone, so running it again is a no-op; files no row names are not looked at.
 */
export async function sealLegacyFiles(db: Executor, stores: FileStores): Promise<number> {
  let sealed = 0;
  for (const key of await storedFileKeys(db)) {
    const stored = await stores.plain.stat(key);
    if (!stored || isEncryptedFile(await startOf(stores, key, stored.sizeBytes))) continue;
    await stores.sealed.put(key, await stores.plain.get(key));
    sealed += 1;
  }
  return sealed;
}
