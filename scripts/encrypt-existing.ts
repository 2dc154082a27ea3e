/*
 * `npm run encrypt:existing`: seals the personal fields and files stored before encryption at
 * rest (see docs/security.md). Safe to run again, and while the app runs.
 */
import { loadConfig } from '../src/config.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { closeDeps, createDeps } from '../src/deps.js';
import { createStorage } from '../src/storage/storage.factory.js';
import { encryptExisting } from './lib/encrypt-existing.js';

const config = loadConfig();
const deps = createDeps(config);
try {
  await migrateToLatest(deps.db);
  const { values, files } = await encryptExisting({ ...deps, plainStorage: createStorage(config) });
  for (const [column, count] of Object.entries(values)) {
    if (count > 0) console.log(`Sealed ${count} value(s) of ${column}`);
  }
  console.log(`Sealed ${files} stored file(s)`);
  const total = Object.values(values).reduce((sum, count) => sum + count, 0) + files;
  console.log(total === 0 ? 'Nothing was stored unencrypted.' : 'Done.');
} finally {
  await closeDeps(deps);
}
