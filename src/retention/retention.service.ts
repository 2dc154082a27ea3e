import { purgeAuditBefore, recordAudit } from '../audit/audit.service.js';
import { purgeDeadCredentials } from '../auth/credential-retention.service.js';
import { purgeDueCases, type CaseRetentionDeps } from '../cases/case-retention.service.js';
import type { Config } from '../config.js';
import type { DialectName } from '../db/database.js';
import { compactAfterPurge } from '../db/maintenance.js';
import { purgeOutbox } from '../mail/mailer.js';
import { daysBefore, newId } from '../shared/clock.js';
import { purgeUnusedFootage, type FootagePurgeDeps } from '../videos/video-retention.service.js';
import { releaseLease, takeLease } from './lease.repository.js';

/** What the daily purge needs: the database, storage, the keyring (shredding) and the queue. */
export type RetentionDeps = CaseRetentionDeps &
  FootagePurgeDeps & { config: Config; dialect: DialectName };

/** What one run purged, by kind (only kinds with something purged are audited). */
export interface RetentionReport {
  status: 'done';
  purged: Record<PurgeKind, number>;
  /** Cases due but kept for now: a search of them is still queued, running or paused. */
  busyCases: number;
  /** True when the SQLite file was vacuumed after the purge. */
  compacted: boolean;
}

export type PurgeKind =
  | 'cases'
  | 'videos'
  | 'sessions'
  | 'apiTokens'
  | 'passwordResets'
  | 'emailConfirmations'
  | 'invitations'
  | 'outboxMails'
  | 'auditLogs';

/** The lease that keeps two processes from purging at once (a run takes minutes at most). */
const LEASE = 'retention';
const LEASE_MS = 60 * 60_000;

/** How each kind is named and which rule purged it, for the audit row (never what was in it). */
function rules(config: Config): Record<Exclude<PurgeKind, 'cases'>, [string, string]> {
  return {
    videos: [
      'footage',
      'used by no search, and either used only by purged cases or older than ' +
        `${config.RETENTION_DAYS} day(s) with its owner in no open case`,
    ],
    sessions: ['session(s)', 'expired or idle for over a day'],
    apiTokens: ['API token(s)', 'revoked, expired or their session ended, over a day ago'],
    passwordResets: ['password-reset link(s)', 'expired over a day ago'],
    emailConfirmations: ['e-mail confirmation link(s)', 'expired over a day ago'],
    invitations: ['invitation(s)', 'expired over a day ago'],
    outboxMails: ['outbox mail(s)', `written over ${config.INVITATION_DAYS + 1} day(s) ago`],
    auditLogs: ['audit row(s)', `older than AUDIT_RETENTION_DAYS (${config.AUDIT_RETENTION_DAYS})`],
  };
}

async function purgeAll(
  deps: RetentionDeps,
  now: Date,
): Promise<{ purged: Record<PurgeKind, number>; busyCases: number }> {
  const cases = await purgeDueCases(deps, now);
  const videos = await purgeUnusedFootage(
    deps,
    cases.freedVideoIds,
    daysBefore(now, deps.config.RETENTION_DAYS),
  );
  const credentials = await purgeDeadCredentials(deps.db, deps.config, now);
  const outboxMails = await purgeOutbox(
    deps.config,
    daysBefore(now, deps.config.INVITATION_DAYS + 1),
  );
  const auditLogs = await purgeAuditBefore(
    deps.db,
    daysBefore(now, deps.config.AUDIT_RETENTION_DAYS),
  );
  return {
    purged: { cases: cases.cases, videos, ...credentials, outboxMails, auditLogs },
    busyCases: cases.busy,
  };
}

/**
 * The retention purge (see docs/security.md, "Retention and secure deletion"): cases past their
 * retention, footage nothing uses, dead sign-in material and links, old outbox mails and audit
 * rows. Each kind purged is audited (how many, which rule). Only one process runs it at a time:
 * another run meanwhile answers `busy` and purges nothing. `now` is injectable for tests.
 */
export async function runRetention(
  deps: RetentionDeps,
  now: Date = new Date(),
): Promise<RetentionReport | { status: 'busy' }> {
  const holder = newId();
  const taken = await takeLease(deps.db, {
    name: LEASE,
    holder,
    now: new Date().toISOString(),
    until: new Date(Date.now() + LEASE_MS).toISOString(),
  });
  if (!taken) return { status: 'busy' };
  try {
    const { purged, busyCases } = await purgeAll(deps, now);
    const named = rules(deps.config);
    for (const [kind, [what, rule]] of Object.entries(named)) {
      const count = purged[kind as keyof typeof named];
      if (count === 0) continue;
      await recordAudit(deps.db, {
        userId: null,
        action: 'retention.purge',
        targetType: kind,
        description: `Purged ${count} ${what}; rule: ${rule}`,
      });
    }
    const any = Object.values(purged).some((count) => count > 0);
    const compacted = any && (await compactAfterPurge(deps.db, deps.dialect));
    return { status: 'done', purged, busyCases, compacted };
  } finally {
    await releaseLease(deps.db, LEASE, holder);
  }
}
