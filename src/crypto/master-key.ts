import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { KEY_BYTES, newKey } from './aead.js';

/** A master key: it wraps data keys and never encrypts data itself. */
export interface MasterKey {
  /** A fingerprint (not the key): which master key wrapped a data key. */
  id: string;
  key: Buffer;
}

export interface MasterKeyFiles {
  /** The current master key: new data keys are wrapped with it. */
  current: string;
  /** A key being rotated in (`keys:rotate` writes it, then makes it current). */
  next: string;
  /** Keys rotated out, kept so that older backups can still be restored. */
  retiredDir: string;
}

export const masterKeyId = (key: Buffer): string =>
  createHash('sha256').update('mpf-master-key-id').update(key).digest('hex').slice(0, 16);

/** `ENCRYPTION_KEY_FILE`, or `DATA_DIR/keys/master.key` by default. */
export function masterKeyFiles(config: { DATA_DIR: string; ENCRYPTION_KEY_FILE?: string }) {
  const current = path.resolve(
    config.ENCRYPTION_KEY_FILE ?? path.join(config.DATA_DIR, 'keys', 'master.key'),
  );
  return {
    current,
    next: `${current}.next`,
    retiredDir: path.join(path.dirname(current), 'retired'),
  } satisfies MasterKeyFiles;
}

export function readMasterKey(file: string): MasterKey {
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new Error(
      `${file} must hold ${KEY_BYTES} random bytes in base64 (e.g. openssl rand -base64 32)`,
    );
  }
  return { id: masterKeyId(key), key };
}

/** Writes a new random key, readable by this user only; refuses to overwrite one. */
export function writeNewMasterKey(file: string): MasterKey {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = newKey();
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { id: masterKeyId(key), key };
}

/**
 * The current master key, generated on first start when it is the default file; plus any key
 * being rotated in and the retired ones, so every data key wrapped by any of them still opens.
 */
export function loadMasterKeys(files: MasterKeyFiles, options: { create: boolean }) {
  if (!existsSync(files.current) && !options.create) {
    throw new Error(
      `No master key at ${files.current}: set ENCRYPTION_KEY_FILE or restore the key file`,
    );
  }
  const current = existsSync(files.current)
    ? readMasterKey(files.current)
    : firstMasterKey(files.current);
  const others = [files.next, ...retiredKeyFiles(files.retiredDir)]
    .filter((file) => existsSync(file))
    .map(readMasterKey);
  return { current, all: [current, ...others] };
}

/** Two processes starting at once on a new DATA_DIR: one writes the key, the other reads it. */
function firstMasterKey(file: string): MasterKey {
  try {
    return writeNewMasterKey(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readMasterKey(file);
    throw error;
  }
}

/** The master keys an instance holds: the current one, one being rotated in, retired ones. */
export interface KeySet {
  current: MasterKey;
  next?: MasterKey;
  retired: MasterKey[];
}

/** The key files as they are on disk (nothing generated); undefined when there is no current key. */
export function readKeySet(files: MasterKeyFiles): KeySet | undefined {
  if (!existsSync(files.current)) return undefined;
  return {
    current: readMasterKey(files.current),
    next: existsSync(files.next) ? readMasterKey(files.next) : undefined,
    retired: retiredKeyFiles(files.retiredDir).map(readMasterKey),
  };
}

/** Writes `key` to `file` (0600), replacing nothing: an existing file must hold the same key. */
export function writeMasterKey(file: string, key: MasterKey): void {
  if (existsSync(file)) {
    if (readMasterKey(file).id !== key.id) throw new Error(`${file} holds another key`);
    return;
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${key.key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
}

function retiredKeyFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.key'))
    .map((name) => path.join(dir, name));
}
