import { loadConfig } from '../src/config.js';
import { migrateDown, migrateToLatest, migrationStatus } from '../src/db/migrate.js';
import { closeDeps, createDeps } from '../src/deps.js';

const usage = `Usage: npm run migrate -- [up | down [--to <name>|none] | status]
  up                 apply every pending migration (the default)
  down               revert the last applied migration
  down --to <name>   revert every migration applied after <name> ('none' reverts them all)
  status             list the migrations, applied or pending`;

const [command = 'up', ...rest] = process.argv.slice(2);
const target = rest[0] === '--to' ? rest[1] : undefined;
if (!['up', 'down', 'status'].includes(command) || (rest.length > 0 && !target)) {
  console.error(usage);
  process.exit(2);
}

const deps = createDeps(loadConfig());
try {
  if (command === 'status') {
    for (const m of await migrationStatus(deps.db)) {
      console.log(
        `${m.executedAt ? 'applied' : 'pending'}  ${m.name}${m.executedAt ? `  (${m.executedAt.toISOString()})` : ''}`,
      );
    }
  } else if (command === 'down') {
    const reverted = await migrateDown(deps.db, target);
    console.log(reverted.length ? `Reverted: ${reverted.join(', ')}` : 'Nothing to revert.');
  } else {
    const applied = await migrateToLatest(deps.db);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
  }
} finally {
  await closeDeps(deps);
}
