import type { FieldCipher } from '../crypto/field-cipher.js';
import { caseScope } from '../crypto/keyring.js';
import { openColumns, sealColumns } from '../crypto/sealed-columns.js';
import type { MissingPersonRow } from '../db/tables/case.table.js';

/**
 * The person's identifying text, sealed with the case's data key. Age, gender, height, weight,
 * dates and status stay plain: they identify no one alone, and lists filter and count by them.
 */
export const SEALED_CASE_COLUMNS = [
  'first_name',
  'last_name',
  'last_seen_location',
  'notes',
] as const satisfies readonly (keyof MissingPersonRow)[];

type CaseText = Partial<Pick<MissingPersonRow, (typeof SEALED_CASE_COLUMNS)[number]>>;

export function sealCaseColumns<T extends CaseText>(
  fields: FieldCipher,
  caseId: string,
  columns: T,
): Promise<T> {
  return sealColumns(fields, caseScope(caseId), columns, SEALED_CASE_COLUMNS);
}

export function openCaseRow<T extends CaseText & { id: string }>(
  fields: FieldCipher,
  row: T,
): Promise<T> {
  return openColumns(fields, caseScope(row.id), row, SEALED_CASE_COLUMNS);
}

/** "First Last" of a case row as stored (sealed or not). */
export async function personName(
  fields: FieldCipher,
  caseId: string,
  row: Pick<MissingPersonRow, 'first_name' | 'last_name'>,
): Promise<string> {
  const scope = caseScope(caseId);
  const [first, last] = await Promise.all([
    fields.openText(scope, row.first_name),
    fields.openText(scope, row.last_name),
  ]);
  return `${first} ${last}`;
}
