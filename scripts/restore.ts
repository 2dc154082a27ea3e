import { BackupError } from '../src/backup/backup.service.js';
import { restoreBackup } from '../src/backup/restore.service.js';
import { commandDeps, option, readPassphrase, runCommand } from './backup-cli.js';

const usage = `Usage: npm run restore -- FILE [--passphrase-file F]
  Restores FILE into an empty DATA_DIR and an empty database (DATABASE_URL), then start the app.
  --passphrase-file F    opens an archive made with --include-key without the master key file`;

await runCommand(async () => {
  const args = process.argv.slice(2);
  const file = args[0];
  const passphraseFile = option(args, '--passphrase-file');
  if (!file || file.startsWith('--')) throw new BackupError(usage, 2);
  const deps = commandDeps();
  const db = deps.dialect === 'postgres' ? deps.openDb() : undefined;
  try {
    const summary = await restoreBackup(
      {
        config: deps.config,
        database: db
          ? { dialect: 'postgres', db, url: deps.url }
          : { dialect: 'sqlite', file: deps.url },
        storedFiles: deps.storedFiles(),
        keyFiles: deps.keyFiles,
      },
      file,
      { passphrase: passphraseFile ? readPassphrase(passphraseFile) : undefined },
    );
    console.log(
      `Restored a backup of ${summary.header.createdAt} (version ${summary.header.appVersion}, ${summary.files} files${summary.keysWritten ? ', master keys written' : ''}). Start the app: migrations run as usual.`,
    );
  } finally {
    await db?.destroy();
  }
});
