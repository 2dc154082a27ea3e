import { recordAudit } from '../audit/audit.service.js';
import type { Config } from '../config.js';
import { eraseCaseFiles, eraseCaseRows, type EraseDeps } from './case-deletion.service.js';
import { findActiveSearchIdsOfCase } from './case-usage.repository.js';
import { effectiveRetentionDays, isDue } from './case-retention.policy.js';
import { findClosedCasesWithoutHold, findRetentionFacts } from './case.repository.js';

export type CaseRetentionDeps = EraseDeps & { config: Pick<Config, 'RETENTION_DAYS'> };

export interface CasePurge {
  /** Cases deleted with everything of them, keys destroyed. */
  cases: number;
  /** Due cases kept for now because a search of them is still queued, running or paused. */
  busy: number;
  /** Footage the purged cases' searches used: purged too when nothing else uses it. */
  freedVideoIds: string[];
}

const DAY_MS = 86_400_000;

/**
 * Deletes every found or closed case whose retention is over at `now` and that no legal hold
 * keeps, exactly as its owner deleting it would (rows, files, then its data key). Each purge is
 * audited with the rule that applied, never with the person's name.
 */
export async function purgeDueCases(deps: CaseRetentionDeps, now: Date): Promise<CasePurge> {
  const defaultDays = deps.config.RETENTION_DAYS;
  const candidates = await findClosedCasesWithoutHold(deps.db);
  const result: CasePurge = { cases: 0, busy: 0, freedVideoIds: [] };
  for (const candidate of candidates.filter((row) => isDue(row, defaultDays, now))) {
    const erased = await deps.db.transaction().execute(async (trx) => {
      // Read again: the case may have been reopened or put on hold since the list was made.
      const row = await findRetentionFacts(trx, candidate.id);
      if (!row || !isDue(row, defaultDays, now)) return undefined;
      if ((await findActiveSearchIdsOfCase(trx, row.id)).length > 0) return 'busy' as const;
      const rows = await eraseCaseRows(trx, row);
      const days = effectiveRetentionDays(row, defaultDays);
      const closedDays = Math.floor((now.getTime() - Date.parse(row.closed_at ?? '')) / DAY_MS);
      await recordAudit(trx, {
        userId: null,
        action: 'retention.purge',
        targetType: 'missing_person',
        targetId: row.id,
        description:
          `Purged a ${row.status} case ${closedDays} day(s) after closing with ` +
          `${rows.searchCount} search(es); rule: kept ${days} day(s) after closing ` +
          `(${row.retention_days === null ? 'RETENTION_DAYS' : 'set on the case'})`,
      });
      return rows;
    });
    if (erased === 'busy') result.busy += 1;
    if (erased === undefined || erased === 'busy') continue;
    await eraseCaseFiles(deps, erased);
    result.cases += 1;
    result.freedVideoIds.push(...erased.videoIds);
  }
  return result;
}
