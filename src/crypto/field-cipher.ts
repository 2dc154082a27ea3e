import { open, seal } from './aead.js';
import type { Keyring, KeyScope } from './keyring.js';

/** Sealed text fields start with this; anything else is a value stored before encryption. */
const TEXT_PREFIX = 'enc1:';
/** Sealed byte fields (embeddings) start with these four bytes. */
const BYTES_MAGIC = Buffer.from('MPFB');

/**
 * Seals database fields with the data key of their case or owner, so a copy of the database
 * alone reveals no name, note, camera password or embedding, and destroying the key shreds them.
 * The scope is authenticated: a value sealed for one case does not open in another.
 */
export interface FieldCipher {
  sealText(scope: KeyScope, value: string): Promise<string>;
  sealText(scope: KeyScope, value: string | null): Promise<string | null>;
  openText(scope: KeyScope, stored: string): Promise<string>;
  openText(scope: KeyScope, stored: string | null): Promise<string | null>;
  sealBytes(scope: KeyScope, value: Uint8Array): Promise<Uint8Array>;
  openBytes(scope: KeyScope, stored: Uint8Array): Promise<Uint8Array>;
}

export const isSealedText = (stored: string): boolean => stored.startsWith(TEXT_PREFIX);

export const isSealedBytes = (stored: Uint8Array): boolean =>
  stored.length >= BYTES_MAGIC.length &&
  Buffer.from(stored.subarray(0, BYTES_MAGIC.length)).equals(BYTES_MAGIC);

export function createFieldCipher(keyring: Pick<Keyring, 'dataKey'>): FieldCipher {
  const key = (scope: KeyScope) => keyring.dataKey(scope, { create: true });
  return {
    async sealText(scope: KeyScope, value: string | null) {
      if (value === null) return null;
      const sealed = seal(await key(scope), Buffer.from(value, 'utf8'), scope);
      return `${TEXT_PREFIX}${sealed.toString('base64')}`;
    },
    async openText(scope: KeyScope, stored: string | null) {
      if (stored === null || !isSealedText(stored)) return stored;
      const sealed = Buffer.from(stored.slice(TEXT_PREFIX.length), 'base64');
      return open(await key(scope), sealed, scope).toString('utf8');
    },
    async sealBytes(scope, value) {
      return Buffer.concat([BYTES_MAGIC, seal(await key(scope), Buffer.from(value), scope)]);
    },
    async openBytes(scope, stored) {
      if (!isSealedBytes(stored)) return stored;
      const sealed = Buffer.from(stored.subarray(BYTES_MAGIC.length));
      return new Uint8Array(open(await key(scope), sealed, scope));
    },
  } as FieldCipher;
}
