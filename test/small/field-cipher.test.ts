import { describe, expect, it } from 'vitest';
import { newKey } from '../../src/crypto/aead.js';
import { createFieldCipher, isSealedBytes, isSealedText } from '../../src/crypto/field-cipher.js';
import { caseScope, type KeyScope } from '../../src/crypto/keyring.js';
import { openColumns, sealColumns } from '../../src/crypto/sealed-columns.js';

/** A keyring in memory: one key per scope, or one key for all to isolate the scope binding. */
function memoryKeyring(options: { oneKeyForAll?: boolean } = {}) {
  const shared = newKey();
  const keys = new Map<string, Buffer>();
  return {
    dataKey(scope: KeyScope) {
      if (options.oneKeyForAll) return Promise.resolve(shared);
      if (!keys.has(scope)) keys.set(scope, newKey());
      return Promise.resolve(keys.get(scope)!);
    },
  };
}

const caseA = caseScope('a');
const caseB = caseScope('b');

describe('field cipher', () => {
  it('seals text so that it reads back the same, and never shows the plaintext', async () => {
    const fields = createFieldCipher(memoryKeyring());
    const sealed = await fields.sealText(caseA, 'Zyxwvut Qplmnbv');
    expect(isSealedText(sealed)).toBe(true);
    expect(sealed).not.toContain('Zyxwvut');
    expect(await fields.sealText(caseA, 'Zyxwvut Qplmnbv')).not.toBe(sealed);
    expect(await fields.openText(caseA, sealed)).toBe('Zyxwvut Qplmnbv');
    expect(await fields.openText(caseA, await fields.sealText(caseA, ''))).toBe('');
    expect(await fields.sealText(caseA, null)).toBeNull();
    expect(await fields.openText(caseA, null)).toBeNull();
  });

  it('seals bytes (an embedding) so that they read back the same', async () => {
    const fields = createFieldCipher(memoryKeyring());
    const vector = new Uint8Array(Float32Array.from({ length: 128 }, (_, i) => i / 128).buffer);
    const sealed = await fields.sealBytes(caseA, vector);
    expect(isSealedBytes(sealed)).toBe(true);
    expect(Buffer.from(sealed).includes(Buffer.from(vector.subarray(0, 64)))).toBe(false);
    expect(Buffer.from(await fields.openBytes(caseA, sealed)).equals(Buffer.from(vector))).toBe(
      true,
    );
  });

  it('does not open a value sealed for case A as case B, even under the same key', async () => {
    for (const keyring of [memoryKeyring(), memoryKeyring({ oneKeyForAll: true })]) {
      const fields = createFieldCipher(keyring);
      const text = await fields.sealText(caseA, 'secret');
      await expect(fields.openText(caseB, text)).rejects.toThrow();
      const bytes = await fields.sealBytes(caseA, new Uint8Array([1, 2, 3]));
      await expect(fields.openBytes(caseB, bytes)).rejects.toThrow();
    }
  });

  it('refuses a sealed value that was altered', async () => {
    const fields = createFieldCipher(memoryKeyring());
    const sealed = Buffer.from((await fields.sealText(caseA, 'secret')).slice(5), 'base64');
    sealed[sealed.length - 1]! ^= 1;
    await expect(fields.openText(caseA, `enc1:${sealed.toString('base64')}`)).rejects.toThrow();
  });

  it('passes values stored before encryption through as they are', async () => {
    const fields = createFieldCipher(memoryKeyring());
    expect(await fields.openText(caseA, 'Anna Berg')).toBe('Anna Berg');
    const legacy = new Uint8Array([0, 0, 128, 63]);
    expect(await fields.openBytes(caseA, legacy)).toBe(legacy);
  });

  it('seals and opens the named columns of a row, leaving the others and nulls alone', async () => {
    const fields = createFieldCipher(memoryKeyring());
    const row = { id: 'a', first_name: 'Ida', notes: null, age: 7 };
    const sealed = await sealColumns(fields, caseA, row, ['first_name', 'notes'] as const);
    expect(sealed.first_name.startsWith('enc1:')).toBe(true);
    expect(sealed).toMatchObject({ id: 'a', notes: null, age: 7 });
    expect(row.first_name).toBe('Ida');
    const opened = await openColumns(fields, caseA, sealed, ['first_name', 'notes'] as const);
    expect(opened).toEqual(row);
  });
});
