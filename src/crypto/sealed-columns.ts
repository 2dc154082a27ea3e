import type { FieldCipher } from './field-cipher.js';
import type { KeyScope } from './keyring.js';

type TextColumns<K extends PropertyKey> = Partial<Record<K, string | null>>;

/**
 * A copy of `row` whose text `columns` are sealed under `scope` (absent and null ones stay as
 * they are), for an insert or an update.
 */
export async function sealColumns<K extends PropertyKey, T extends TextColumns<K>>(
  fields: FieldCipher,
  scope: KeyScope,
  row: T,
  columns: readonly K[],
): Promise<T> {
  const sealed = { ...row };
  for (const column of columns) {
    const value = row[column];
    if (typeof value === 'string') {
      sealed[column] = (await fields.sealText(scope, value)) as T[K];
    }
  }
  return sealed;
}

/** A copy of `row` whose text `columns` are opened (values stored before encryption pass). */
export async function openColumns<K extends PropertyKey, T extends TextColumns<K>>(
  fields: FieldCipher,
  scope: KeyScope,
  row: T,
  columns: readonly K[],
): Promise<T> {
  const opened = { ...row };
  for (const column of columns) {
    const value = row[column];
    if (typeof value === 'string') {
      opened[column] = (await fields.openText(scope, value)) as T[K];
    }
  }
  return opened;
}
