import { createHash, hkdfSync, randomBytes, scryptSync } from 'node:crypto';
import { KEY_BYTES, open, seal } from './aead.js';
import {
  DecryptingStream,
  EncryptingStream,
  HEADER_BYTES,
  newFileHeader,
  parseFileHeader,
  sealedSpan,
  plainSize,
} from './file-cipher.js';
import { masterKeyId, type KeySet, type MasterKey } from './master-key.js';

/*
 * Backup archive (version 1):
 *
 *   "MPF-BACKUP 1\n" ‖ header length (4 bytes, big endian) ‖ header (JSON, plain)
 *   body: a tar stream in the encrypted file format of file-cipher.ts
 *
 * The body key is HKDF(master key, salt, 'mpf-backup-v1'). The plain header names the master
 * key (its id, never the key), the dialect, the app version and the migration level, so an
 * operator can tell which key and which release an archive needs. Its hash is the body's scope,
 * which every chunk authenticates: changing one byte of the header or the body fails the restore.
 * With `--include-key` the header also holds every loaded master key sealed with
 * scrypt(passphrase), so either the key file or the passphrase opens the archive.
 */
const MAGIC = Buffer.from('MPF-BACKUP 1\n');
const BODY_INFO = 'mpf-backup-v1';
const SCRYPT = { N: 2 ** 16, r: 8, p: 1, maxmem: 128 * 1024 * 1024 };

export interface BackupFacts {
  dialect: 'sqlite' | 'postgres';
  appVersion: string;
  /** The last migration applied to the database in the archive. */
  migration: string | null;
  createdAt: string;
}

export interface BackupHeader extends BackupFacts {
  format: 1;
  masterKeyId: string;
  salt: string;
  /** Master keys sealed with scrypt(passphrase), when the archive was made with --include-key. */
  keys?: { salt: string; sealed: string };
}

const bodyKey = (master: MasterKey, header: BackupHeader): Buffer =>
  Buffer.from(hkdfSync('sha256', master.key, Buffer.from(header.salt, 'base64'), BODY_INFO, 32));

const passphraseKey = (passphrase: string, salt: Buffer): Buffer =>
  scryptSync(passphrase.normalize('NFC'), salt, KEY_BYTES, SCRYPT);

/** The body's scope: binds the plain header to every chunk of the body. */
const bodyScope = (headerJson: Buffer): string =>
  `backup:${createHash('sha256').update(headerJson).digest('base64url')}`;

function sealKeySet(keys: KeySet, passphrase: string): BackupHeader['keys'] {
  const salt = randomBytes(16);
  const plain = JSON.stringify({
    current: keys.current.key.toString('base64'),
    next: keys.next?.key.toString('base64'),
    retired: keys.retired.map((key) => key.key.toString('base64')),
  });
  const sealed = seal(passphraseKey(passphrase, salt), Buffer.from(plain), 'mpf-backup-keys');
  return { salt: salt.toString('base64'), sealed: sealed.toString('base64') };
}

/** The archive's first bytes and the stream that encrypts the tar body after them. */
export function backupEncryptor(
  facts: BackupFacts,
  keys: KeySet,
  options: { passphrase?: string } = {},
) {
  const header: BackupHeader = {
    format: 1,
    ...facts,
    masterKeyId: keys.current.id,
    salt: randomBytes(32).toString('base64'),
    ...(options.passphrase !== undefined && { keys: sealKeySet(keys, options.passphrase) }),
  };
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  const encrypt = new EncryptingStream(
    bodyKey(keys.current, header),
    newFileHeader(bodyScope(json)),
  );
  return { prefix: Buffer.concat([MAGIC, length, json]), encrypt, header };
}

export interface ParsedBackupHeader {
  header: BackupHeader;
  json: Buffer;
  /** Where the encrypted body starts in the archive. */
  bodyOffset: number;
}

/** The archive's plain header, read from its first bytes (BACKUP_HEADER_SPAN of them suffice). */
export function parseBackupHeader(start: Buffer): ParsedBackupHeader {
  if (start.length < MAGIC.length + 4 || !start.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new Error('Not a Missing Person Finder backup archive');
  }
  const length = start.readUInt32BE(MAGIC.length);
  const bodyOffset = MAGIC.length + 4 + length;
  if (start.length < bodyOffset) throw new Error('The backup header is damaged');
  const json = Buffer.from(start.subarray(MAGIC.length + 4, bodyOffset));
  const header = JSON.parse(json.toString('utf8')) as BackupHeader;
  if (header.format !== 1) throw new Error(`Unknown backup format ${String(header.format)}`);
  return { header, json, bodyOffset };
}

/** Enough bytes to hold any header (the keys and facts are small). */
export const BACKUP_HEADER_SPAN = 64 * 1024;

/** All master keys of a set, the current one first. */
export const allKeys = (keys: KeySet): MasterKey[] => [
  keys.current,
  ...(keys.next ? [keys.next] : []),
  ...keys.retired,
];

/** Opens the master keys sealed in the header with the passphrase; throws on a wrong one. */
export function openKeySet(header: BackupHeader, passphrase: string): KeySet {
  if (!header.keys)
    throw new Error('This archive holds no master key (it was made without --include-key)');
  let plain: Buffer;
  try {
    const key = passphraseKey(passphrase, Buffer.from(header.keys.salt, 'base64'));
    plain = open(key, Buffer.from(header.keys.sealed, 'base64'), 'mpf-backup-keys');
  } catch {
    throw new Error('The passphrase does not open the master key in this archive');
  }
  const parsed = JSON.parse(plain.toString('utf8')) as {
    current: string;
    next?: string;
    retired: string[];
  };
  const toKey = (base64: string): MasterKey => {
    const key = Buffer.from(base64, 'base64');
    return { id: masterKeyId(key), key };
  };
  return {
    current: toKey(parsed.current),
    next: parsed.next ? toKey(parsed.next) : undefined,
    retired: parsed.retired.map(toKey),
  };
}

/**
 * Decrypts the body: `fileHeaderBytes` are its first BODY_HEADER_BYTES, `bodyBytes` its whole
 * size; the returned stream takes the bytes after them. It fails on any change to the plain
 * header or the body, and on a truncated archive.
 */
export function openBackupBody(
  parsed: ParsedBackupHeader,
  master: MasterKey,
  fileHeaderBytes: Buffer,
  bodyBytes: number,
): DecryptingStream {
  if (master.id !== parsed.header.masterKeyId) {
    throw new Error(`The archive is sealed with master key ${parsed.header.masterKeyId}`);
  }
  const fileHeader = parseFileHeader(fileHeaderBytes);
  if (fileHeader.scope !== bodyScope(parsed.json)) {
    throw new Error('The backup archive was altered: its header does not match its body');
  }
  const span = sealedSpan(bodyBytes, 0, Math.max(0, plainSize(bodyBytes) - 1));
  return new DecryptingStream(bodyKey(master, parsed.header), fileHeader, span);
}

export { HEADER_BYTES as BODY_HEADER_BYTES };
