import type { FieldCipher } from '../crypto/field-cipher.js';
import { caseScope } from '../crypto/keyring.js';
import { openColumns, sealColumns } from '../crypto/sealed-columns.js';
import type { Executor } from '../db/database.js';
import type { SearchAlertColumns } from '../db/tables/live.table.js';
import { findAlertSettings, findPersonName } from './live.repository.js';

/** The webhook (its URL may carry a token) and its signing secret, sealed with the case's key. */
export const SEALED_ALERT_COLUMNS = ['alert_webhook_url', 'alert_webhook_secret'] as const;

interface SealingDeps {
  db: Executor;
  fields: FieldCipher;
}

/** A search, by the case whose data key seals its settings. */
interface SearchOfCase {
  id: string;
  missing_person_id: string;
}

/** The search's alert settings, opened. */
export async function readAlertSettings(
  deps: SealingDeps,
  search: SearchOfCase,
): Promise<SearchAlertColumns | undefined> {
  const row = await findAlertSettings(deps.db, search.id);
  return (
    row && openColumns(deps.fields, caseScope(search.missing_person_id), row, SEALED_ALERT_COLUMNS)
  );
}

/** The settings' changed columns, sealed for storage. */
export function sealAlertSettings<T extends Partial<SearchAlertColumns>>(
  fields: FieldCipher,
  search: SearchOfCase,
  update: T,
): Promise<T> {
  return sealColumns(fields, caseScope(search.missing_person_id), update, SEALED_ALERT_COLUMNS);
}

/** The case's person, with the name opened (for alerts). */
export async function readPersonName(
  deps: SealingDeps,
  caseId: string,
): Promise<{ id: string; firstName: string; lastName: string } | undefined> {
  const person = await findPersonName(deps.db, caseId);
  if (!person) return undefined;
  const scope = caseScope(caseId);
  return {
    id: person.id,
    firstName: await deps.fields.openText(scope, person.firstName),
    lastName: await deps.fields.openText(scope, person.lastName),
  };
}
