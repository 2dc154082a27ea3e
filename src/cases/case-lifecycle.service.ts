import { recordAudit } from '../audit/audit.service.js';
import type {
  CaseRetentionInput,
  CaseStatusInput,
  LegalHoldInput,
} from '../contracts/case.contract.js';
import type { MissingPersonUpdate } from '../db/tables/case.table.js';
import { AppError } from '../shared/app-error.js';
import { nowIso } from '../shared/clock.js';
import { updateCaseRow, type CaseRowWithCount } from './case.repository.js';
import type { CaseView } from './case.schema.js';
import {
  getCase,
  requireCase,
  statusChange,
  type Actor,
  type CaseReadDeps,
} from './case.service.js';

/*
 * A case's lifecycle: its status (open = `missing`; `found`/`closed` start the retention period),
 * how long it is kept after closing, and a legal hold. Owners and editors change them, each
 * change audited (without the person's name: the audit trail outlives the case).
 */

interface LifecycleChange {
  action: string;
  description: string;
  columns: (row: CaseRowWithCount, now: string) => MissingPersonUpdate;
}

async function changeLifecycle(
  deps: CaseReadDeps,
  actor: Actor,
  id: string,
  change: LifecycleChange,
): Promise<CaseView> {
  await deps.db.transaction().execute(async (trx) => {
    const { row } = await requireCase(trx, actor.userId, id, 'edit');
    const now = nowIso();
    await updateCaseRow(trx, id, { ...change.columns(row, now), updated_at: now });
    await recordAudit(trx, {
      userId: actor.userId,
      action: change.action,
      targetType: 'missing_person',
      targetId: id,
      description: change.description,
      ip: actor.ip,
    });
  });
  return getCase(deps, actor.userId, id);
}

/** Opens (`missing`), marks found or closes the case; closing starts its retention period. */
export function setCaseStatus(
  deps: CaseReadDeps,
  actor: Actor,
  id: string,
  input: CaseStatusInput,
): Promise<CaseView> {
  return changeLifecycle(deps, actor, id, {
    action: 'case.status',
    description: `Set the status to ${input.status}`,
    columns: (row, now) => statusChange(row, { status: input.status }, now),
  });
}

/** Sets how many days the case is kept after closing (null: RETENTION_DAYS). */
export function setCaseRetention(
  deps: CaseReadDeps,
  actor: Actor,
  id: string,
  input: CaseRetentionInput,
): Promise<CaseView> {
  return changeLifecycle(deps, actor, id, {
    action: 'case.retention',
    description:
      input.retentionDays === null
        ? 'Set the retention to the default'
        : `Set the retention to ${input.retentionDays} day(s) after closing`,
    columns: () => ({ retention_days: input.retentionDays }),
  });
}

/** Places (or replaces the reason of) a legal hold: the purge keeps the case, however old. */
export function placeLegalHold(
  deps: CaseReadDeps,
  actor: Actor,
  id: string,
  input: LegalHoldInput,
): Promise<CaseView> {
  return changeLifecycle(deps, actor, id, {
    action: 'case.legal_hold.place',
    // The reason stays on the case (it may name people); the trail says only that it was placed.
    description: 'Placed a legal hold',
    columns: (_row, now) => ({
      legal_hold: 1,
      legal_hold_by: actor.userId,
      legal_hold_at: now,
      legal_hold_reason: input.reason,
    }),
  });
}

/** Lifts the legal hold: the case's retention applies again (it may be purged at the next run). */
export function liftLegalHold(deps: CaseReadDeps, actor: Actor, id: string): Promise<CaseView> {
  return changeLifecycle(deps, actor, id, {
    action: 'case.legal_hold.lift',
    description: 'Lifted the legal hold',
    columns: (row) => {
      if (row.legal_hold === 0) {
        throw new AppError('INVALID_STATE', 'The case is not under a legal hold');
      }
      return { legal_hold: 0, legal_hold_by: null, legal_hold_at: null, legal_hold_reason: null };
    },
  });
}
