import { loadConfig } from '../src/config.js';
import { rotateMasterKey } from '../src/crypto/key-rotation.js';
import { masterKeyFiles } from '../src/crypto/master-key.js';
import { commandDeps, option, runCommand } from './backup-cli.js';

await runCommand(async () => {
  const limit = option(process.argv.slice(2), '--limit');
  const config = loadConfig();
  const db = commandDeps(config).openDb();
  try {
    const progress = await rotateMasterKey(db, masterKeyFiles(config), {
      limit: limit === undefined ? undefined : Number(limit),
    });
    console.log(
      progress.done
        ? `Master key ${progress.newKeyId} is now current (${progress.rewrapped} data keys re-wrapped); the old key is in keys/retired/. Restart the servers so that new data keys use it.`
        : `Re-wrapped ${progress.rewrapped} data keys under ${progress.newKeyId}; ${progress.remaining} remain: run keys:rotate again.`,
    );
  } finally {
    await db.destroy();
  }
});
