import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFieldCipher } from '../../src/crypto/field-cipher.js';
import { caseScope, createKeyring, DataKeyDestroyedError } from '../../src/crypto/keyring.js';
import { loadMasterKeys, masterKeyFiles } from '../../src/crypto/master-key.js';
import { createDatabase, type Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { testDialects, type TestDatabase } from '../support/databases.js';

describe.each(testDialects)('data keys on $name', (dialect) => {
  let database: TestDatabase;
  let db: Db;
  let dataDir: string;
  const masters = (dir = dataDir) =>
    loadMasterKeys(masterKeyFiles({ DATA_DIR: dir }), { create: true });
  beforeEach(async () => {
    database = await dialect.create();
    db = createDatabase({ url: database.url });
    await migrateToLatest(db);
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'mpf-keys-'));
  });
  afterEach(async () => {
    await db.destroy();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('makes the master key on first start, readable by its owner only, and reuses it', () => {
    const first = masters();
    expect(statSync(path.join(dataDir, 'keys', 'master.key')).mode & 0o777).toBe(0o600);
    expect(masters().current.id).toBe(first.current.id);
    expect(() =>
      loadMasterKeys(masterKeyFiles({ DATA_DIR: dataDir, ENCRYPTION_KEY_FILE: '/nonexistent/k' }), {
        create: false,
      }),
    ).toThrow(/No master key/);
  });

  it('stores a data key only wrapped, one per scope even when asked for at once', async () => {
    const keyring = createKeyring(db, masters());
    const [a, b] = await Promise.all([
      keyring.dataKey(caseScope('c1'), { create: true }),
      createKeyring(db, masters()).dataKey(caseScope('c1'), { create: true }),
    ]);
    expect(a).toEqual(b);
    const rows = await db.selectFrom('data_keys').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(Buffer.from(rows[0]!.wrapped_key).includes(a)).toBe(false);
    await expect(keyring.dataKey(caseScope('c2'))).rejects.toBeInstanceOf(DataKeyDestroyedError);
  });

  it('shreds: a destroyed key opens nothing sealed under it, in this process or another', async () => {
    const keyring = createKeyring(db, masters());
    const fields = createFieldCipher(keyring);
    const sealed = await fields.sealText(caseScope('c1'), 'Zyxwvut Qplmnbv');
    expect(sealed).not.toContain('Zyxwvut');
    expect(await fields.openText(caseScope('c1'), sealed)).toBe('Zyxwvut Qplmnbv');
    await expect(fields.openText(caseScope('c2'), sealed)).rejects.toThrow();
    await keyring.destroy(caseScope('c1'));
    await expect(fields.openText(caseScope('c1'), sealed)).rejects.toThrow();
    await expect(
      createFieldCipher(createKeyring(db, masters())).openText(caseScope('c1'), sealed),
    ).rejects.toThrow();
  });

  it('refuses to start with a master key that did not wrap the data keys', async () => {
    await createKeyring(db, masters()).dataKey(caseScope('c1'), { create: true });
    const otherDir = mkdtempSync(path.join(os.tmpdir(), 'mpf-keys-'));
    try {
      const stranger = createKeyring(db, masters(otherDir));
      await expect(stranger.assertMasterKeysPresent()).rejects.toThrow(/not loaded/);
      await expect(stranger.dataKey(caseScope('c1'))).rejects.toThrow(/not loaded/);
      await createKeyring(db, masters()).assertMasterKeysPresent();
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });
});
