import { SEALED_CASE_COLUMNS } from '../../src/cases/case.sealing.js';
import type { FieldCipher } from '../../src/crypto/field-cipher.js';
import { sealLegacyFiles } from '../../src/crypto/legacy-files.js';
import { sealLegacyColumn, type SealedColumn } from '../../src/crypto/legacy-fields.js';
import type { Executor } from '../../src/db/database.js';
import { SEALED_ALERT_COLUMNS } from '../../src/live/live.sealing.js';
import type { Storage } from '../../src/storage/storage.types.js';
import { SEALED_VIDEO_COLUMNS } from '../../src/videos/video.service.js';

const ofCase = (column: string) => ({ kind: 'case' as const, column });

/** Every sealed column and whose key seals it (as the features seal them on write). */
export const SEALED_COLUMNS: SealedColumn[] = [
  ...SEALED_CASE_COLUMNS.map((column) => ({
    table: 'missing_persons',
    column,
    scope: ofCase('id'),
  })),
  { table: 'person_photos', column: 'original_name', scope: ofCase('missing_person_id') },
  {
    table: 'facial_embeddings',
    column: 'vector',
    scope: ofCase('missing_person_id'),
    bytes: true,
  },
  ...SEALED_VIDEO_COLUMNS.map((column) => ({
    table: 'videos',
    column,
    scope: { kind: 'user' as const, column: 'owner_id' },
  })),
  ...SEALED_ALERT_COLUMNS.map((column) => ({
    table: 'searches',
    column,
    scope: ofCase('missing_person_id'),
  })),
];

export interface EncryptExistingDeps {
  db: Executor;
  fields: FieldCipher;
  /** The storage as configured, without encryption: to find files stored before it. */
  plainStorage: Storage;
  /** The app's storage, which seals what it stores. */
  storage: Storage;
}

/**
 * Seals what was stored before encryption at rest: every plaintext value of a sealed column and
 * every stored file without the MPFE header. Idempotent: what is sealed already is left alone.
 */
export async function encryptExisting(
  deps: EncryptExistingDeps,
): Promise<{ values: Record<string, number>; files: number }> {
  const values: Record<string, number> = {};
  for (const spec of SEALED_COLUMNS) {
    values[`${spec.table}.${spec.column}`] = await sealLegacyColumn(deps.db, deps.fields, spec);
  }
  const files = await sealLegacyFiles(deps.db, {
    plain: deps.plainStorage,
    sealed: deps.storage,
  });
  return { values, files };
}
