import { readFileSync } from 'node:fs';
import { loadConfig, sqlitePath, type Config } from '../src/config.js';
import { masterKeyFiles, readKeySet } from '../src/crypto/master-key.js';
import { createDatabase, dialectOf } from '../src/db/database.js';
import { BackupError } from '../src/backup/backup.service.js';
import { createStorage } from '../src/storage/storage.factory.js';

/** The value after `--name`, or undefined. */
export function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

/** The passphrase in `file` (its first line). */
export function readPassphrase(file: string): string {
  const passphrase = readFileSync(file, 'utf8').split(/\r?\n/)[0] ?? '';
  if (passphrase.length < 12)
    throw new BackupError(`${file}: use a passphrase of at least 12 characters`, 2);
  return passphrase;
}

/** What the backup and restore commands work on, from the configuration. */
export function commandDeps(config: Config = loadConfig()) {
  const url = config.DATABASE_URL ?? sqlitePath(config);
  return {
    config,
    url,
    dialect: dialectOf(url),
    keyFiles: masterKeyFiles(config),
    readKeys: () => readKeySet(masterKeyFiles(config)),
    openDb: () => createDatabase({ url, poolSize: 2 }),
    storedFiles: () => createStorage(config),
  };
}

/** Runs a command, printing an expected failure's message and ending with its exit code. */
export async function runCommand(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(error instanceof BackupError ? error.exitCode : 1);
  }
}
