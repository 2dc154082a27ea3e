import type { Executor } from '../db/database.js';
import { newKey, open, seal } from './aead.js';
import type { MasterKey } from './master-key.js';

/** Whose data a data key protects: one key per case, one per user for account-level data. */
export type KeyScope = `case:${string}` | `user:${string}`;

export const caseScope = (caseId: string): KeyScope => `case:${caseId}`;
export const userScope = (userId: string): KeyScope => `user:${userId}`;

/** The scope's key no longer exists: its data was shredded (or never encrypted under it). */
export class DataKeyDestroyedError extends Error {
  constructor(readonly scope: string) {
    super(`The data key of ${scope} no longer exists: its data was deleted`);
  }
}

export interface Keyring {
  /** The scope's data key, created (and stored wrapped) on first use when `create` is set. */
  dataKey(scope: KeyScope, options?: { create?: boolean }): Promise<Buffer>;
  /** Crypto-shredding: deletes the wrapped key, so nothing sealed under it can be read again. */
  destroy(scope: KeyScope): Promise<void>;
  /** Forgets cached keys (after a restore or in another process's tests). */
  clearCache(): void;
  /** Throws, naming the missing key, when some data key is wrapped by a master key not loaded. */
  assertMasterKeysPresent(): Promise<void>;
  readonly masterKeyId: string;
}

const wrapContext = (scope: string) => `mpf-data-key:${scope}`;

export function wrapDataKey(master: MasterKey, scope: string, key: Buffer): Buffer {
  return seal(master.key, key, wrapContext(scope));
}

export function unwrapDataKey(masters: readonly MasterKey[], row: WrappedKey): Buffer {
  const master = masters.find((candidate) => candidate.id === row.master_key_id);
  if (!master) {
    throw new Error(
      `The data key of ${row.scope} is wrapped by master key ${row.master_key_id}, which is not loaded: restore that key file (see docs/security.md)`,
    );
  }
  return open(master.key, Buffer.from(row.wrapped_key), wrapContext(row.scope));
}

interface MasterKeys {
  current: MasterKey;
  all: MasterKey[];
}

interface WrappedKey {
  scope: string;
  wrapped_key: Uint8Array;
  master_key_id: string;
}

async function findWrapped(db: Executor, scope: string): Promise<WrappedKey | undefined> {
  return db.selectFrom('data_keys').selectAll().where('scope', '=', scope).executeTakeFirst();
}

/** Stores a new key unless another process stored one first; returns the one that won. */
async function insertWrapped(db: Executor, master: MasterKey, scope: string): Promise<WrappedKey> {
  await db
    .insertInto('data_keys')
    .values({
      scope,
      wrapped_key: wrapDataKey(master, scope, newKey()),
      master_key_id: master.id,
      created_at: new Date().toISOString(),
    })
    .onConflict((conflict) => conflict.column('scope').doNothing())
    .execute();
  const stored = await findWrapped(db, scope);
  if (!stored) throw new DataKeyDestroyedError(scope);
  return stored;
}

/** A Map that forgets its oldest entry beyond `limit` (Map keeps insertion order). */
class BoundedCache<T> extends Map<string, T> {
  constructor(private readonly limit: number) {
    super();
  }

  override set(key: string, value: T): this {
    super.set(key, value);
    if (this.size > this.limit) this.delete(this.keys().next().value as string);
    return this;
  }
}

/**
 * Data keys unwrapped on demand and cached in memory (never on disk). `current` wraps new keys;
 * `all` (current, one being rotated in, retired ones) unwraps existing ones.
 */
export function createKeyring(
  db: Executor,
  loaded: MasterKeys,
  /** Reads the key files again: a row wrapped by a key rotated in since start names it. */
  reload?: () => MasterKeys,
): Keyring {
  const cache = new BoundedCache<Buffer>(10_000);
  let masters = loaded;
  const mastersFor = (row: WrappedKey) => {
    if (reload && !masters.all.some((master) => master.id === row.master_key_id))
      masters = reload();
    return masters;
  };
  return {
    get masterKeyId() {
      return masters.current.id;
    },
    async dataKey(scope, options = {}) {
      const cached = cache.get(scope);
      if (cached) return cached;
      let row = await findWrapped(db, scope);
      if (!row && options.create) row = await insertWrapped(db, masters.current, scope);
      if (!row) throw new DataKeyDestroyedError(scope);
      const key = unwrapDataKey(mastersFor(row).all, row);
      cache.set(scope, key);
      return key;
    },
    async destroy(scope) {
      cache.delete(scope);
      await db.deleteFrom('data_keys').where('scope', '=', scope).execute();
    },
    clearCache: () => cache.clear(),
    async assertMasterKeysPresent() {
      const loaded = new Set(masters.all.map((master) => master.id));
      const used = await db.selectFrom('data_keys').select('master_key_id').distinct().execute();
      const missing = used.map((row) => row.master_key_id).filter((id) => !loaded.has(id));
      if (missing.length > 0) {
        throw new Error(
          `The data is encrypted under master key ${missing.join(', ')}, which is not loaded: set ENCRYPTION_KEY_FILE to that key or restore the key file (docs/maintenance.md). Refusing to start.`,
        );
      }
    },
  };
}
