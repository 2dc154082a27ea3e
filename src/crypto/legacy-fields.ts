import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import { isSealedBytes, isSealedText, type FieldCipher } from './field-cipher.js';
import { caseScope, userScope, type KeyScope } from './keyring.js';

/** A sealed column: its table, and the column naming the case or user whose key seals it. */
export interface SealedColumn {
  table: string;
  column: string;
  scope: { kind: 'case' | 'user'; column: string };
  /** A byte column (sealBytes) rather than text. */
  bytes?: boolean;
}

interface StoredValue {
  id: string;
  owner: string;
  value: string | Uint8Array;
}

const isLegacy = (spec: SealedColumn, value: string | Uint8Array) =>
  spec.bytes
    ? !isSealedBytes(value as Uint8Array)
    : typeof value === 'string' && !isSealedText(value);

function scopeOf(spec: SealedColumn, owner: string): KeyScope {
  return spec.scope.kind === 'case' ? caseScope(owner) : userScope(owner);
}

/**
 * Seals every value of the column stored before encryption (one without the sealed prefix) and
 * answers how many it sealed; values already sealed are left alone, so running it again is a
 * no-op. Each update names the old value, so a value changed meanwhile is not overwritten.
 */
export async function sealLegacyColumn(
  db: Executor,
  fields: FieldCipher,
  spec: SealedColumn,
): Promise<number> {
  const table = sql.table(spec.table);
  const column = sql.ref(spec.column);
  const { rows } = await sql<StoredValue>`
    select id, ${sql.ref(spec.scope.column)} as owner, ${column} as value
    from ${table} where ${column} is not null`.execute(db);
  let sealed = 0;
  for (const row of rows) {
    if (!isLegacy(spec, row.value)) continue;
    const scope = scopeOf(spec, row.owner);
    const value = spec.bytes
      ? Buffer.from(await fields.sealBytes(scope, row.value as Uint8Array))
      : await fields.sealText(scope, row.value as string);
    const old = spec.bytes ? Buffer.from(row.value as Uint8Array) : row.value;
    const result = await sql`
      update ${table} set ${column} = ${value}
      where id = ${row.id} and ${column} = ${old}`.execute(db);
    sealed += Number(result.numAffectedRows ?? 0);
  }
  return sealed;
}
