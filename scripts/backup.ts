import { createBackup, BackupError } from '../src/backup/backup.service.js';
import { commandDeps, option, readPassphrase, runCommand } from './backup-cli.js';

const usage = `Usage: npm run backup -- --out FILE [--include-key --passphrase-file F]
  --out FILE             where to write the encrypted archive
  --include-key          put the master keys in the archive, sealed with the passphrase
  --passphrase-file F    the passphrase (first line of F), required with --include-key`;

await runCommand(async () => {
  const args = process.argv.slice(2);
  const out = option(args, '--out');
  const passphraseFile = option(args, '--passphrase-file');
  const includeKey = args.includes('--include-key');
  if (!out || (includeKey && !passphraseFile)) throw new BackupError(usage, 2);
  const deps = commandDeps();
  const masterKeys = deps.readKeys();
  if (!masterKeys) throw new BackupError(`No master key at ${deps.keyFiles.current}`, 5);
  const db = deps.openDb();
  try {
    const result = await createBackup(
      {
        db,
        dialect: deps.dialect,
        config: deps.config,
        storedFiles: deps.storedFiles(),
        masterKeys,
      },
      { out, passphrase: includeKey ? readPassphrase(passphraseFile!) : undefined },
    );
    console.log(
      `Backup written to ${result.file} (${result.sizeBytes} bytes, ${result.manifest.files.length} files, master key ${masterKeys.current.id}${includeKey ? ', key included' : ''})`,
    );
  } finally {
    await db.destroy();
  }
});
