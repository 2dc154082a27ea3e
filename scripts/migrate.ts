import { loadConfig } from '../src/config.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { closeDeps, createDeps } from '../src/deps.js';

const deps = createDeps(loadConfig());
const applied = await migrateToLatest(deps.db);
console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
await closeDeps(deps);
