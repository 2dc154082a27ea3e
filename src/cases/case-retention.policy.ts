import type { CaseStatus } from '../db/tables/case.table.js';

const DAY_MS = 86_400_000;

/** The retention columns of a case, as the policy reads them. */
export interface RetentionFacts {
  status: CaseStatus;
  closed_at: string | null;
  retention_days: number | null;
  legal_hold: number;
}

/** `missing` is an open case; `found` and `closed` start its retention period. */
export const isOpen = (status: CaseStatus): boolean => status === 'missing';

/**
 * The `closed_at` a case gets when its status changes to `next` at `now`: set when it leaves the
 * open state, kept while it moves between found and closed, cleared when it is reopened.
 */
export function closedAtAfter(
  previous: { status: CaseStatus; closed_at: string | null },
  next: CaseStatus,
  now: string,
): string | null {
  if (isOpen(next)) return null;
  return isOpen(previous.status) || previous.closed_at === null ? now : previous.closed_at;
}

export const effectiveRetentionDays = (facts: RetentionFacts, defaultDays: number): number =>
  facts.retention_days ?? defaultDays;

/** When the purge deletes the case: undefined while it is open or under a legal hold. */
export function deleteAfter(facts: RetentionFacts, defaultDays: number): Date | undefined {
  if (isOpen(facts.status) || facts.closed_at === null || facts.legal_hold !== 0) return undefined;
  return new Date(
    Date.parse(facts.closed_at) + effectiveRetentionDays(facts, defaultDays) * DAY_MS,
  );
}

/** True when the case's retention is over at `now` (and no legal hold keeps it). */
export function isDue(facts: RetentionFacts, defaultDays: number, now: Date): boolean {
  const due = deleteAfter(facts, defaultDays);
  return due !== undefined && due.getTime() <= now.getTime();
}
