import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFieldCipher } from '../../src/crypto/field-cipher.js';
import { rotateMasterKey } from '../../src/crypto/key-rotation.js';
import { caseScope, createKeyring } from '../../src/crypto/keyring.js';
import { loadMasterKeys, masterKeyFiles, readMasterKey } from '../../src/crypto/master-key.js';
import { createDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { testDialects } from '../support/databases.js';

describe.each(testDialects)('master key rotation on $name', (dialect) => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mpf-rotate-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('re-wraps every data key, resumes after an interruption, retires the old key; data still reads', async () => {
    const database = await dialect.create();
    const db = createDatabase({
      url: dialect.name === 'sqlite' ? path.join(dataDir, 'app.db') : database.url,
    });
    try {
      await migrateToLatest(db);
      const files = masterKeyFiles({ DATA_DIR: dataDir });
      const reload = () => loadMasterKeys(files, { create: false });
      const running = createKeyring(db, loadMasterKeys(files, { create: true }), reload);
      const oldId = running.masterKeyId;
      const fields = createFieldCipher(running);
      const sealed = await Promise.all(
        ['a', 'b', 'c'].map((id) => fields.sealText(caseScope(id), `name of ${id}`)),
      );

      const first = await rotateMasterKey(db, files, { limit: 1 });
      expect(first).toMatchObject({ rewrapped: 1, remaining: 2, done: false });
      const second = await rotateMasterKey(db, files);
      expect(second).toMatchObject({ rewrapped: 2, remaining: 0, done: true });

      const rows = await db.selectFrom('data_keys').select('master_key_id').execute();
      expect(new Set(rows.map((row) => row.master_key_id))).toEqual(new Set([second.newKeyId]));
      expect(readMasterKey(files.current).id).toBe(second.newKeyId);
      expect(existsSync(files.next)).toBe(false);
      expect(readMasterKey(path.join(files.retiredDir, `${oldId}.key`)).id).toBe(oldId);

      running.clearCache();
      const reopened = await Promise.all(
        ['a', 'b', 'c'].map((id, i) => fields.openText(caseScope(id), sealed[i]!)),
      );
      expect(reopened).toEqual(['name of a', 'name of b', 'name of c']);
      const restarted = createFieldCipher(createKeyring(db, reload()));
      expect(await restarted.openText(caseScope('b'), sealed[1]!)).toBe('name of b');
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
