import { describe, expect, it } from 'vitest';
import { closedAtAfter, deleteAfter, isDue } from '../../src/cases/case-retention.policy.js';
import { nextDailyRun, retentionJobKey } from '../../src/retention/retention.job.js';

const closed = (
  closedAt: string,
  extra: { retention_days?: number; legal_hold?: number } = {},
) => ({
  status: 'closed' as const,
  closed_at: closedAt,
  retention_days: extra.retention_days ?? null,
  legal_hold: extra.legal_hold ?? 0,
});

describe('case retention policy', () => {
  it('starts the period when a case leaves the open state, keeps it between found and closed, clears it on reopening', () => {
    const open = { status: 'missing' as const, closed_at: null };
    expect(closedAtAfter(open, 'found', '2026-01-01T00:00:00.000Z')).toBe(
      '2026-01-01T00:00:00.000Z',
    );
    const found = { status: 'found' as const, closed_at: '2026-01-01T00:00:00.000Z' };
    expect(closedAtAfter(found, 'closed', '2026-02-01T00:00:00.000Z')).toBe(
      '2026-01-01T00:00:00.000Z',
    );
    expect(closedAtAfter(found, 'missing', '2026-02-01T00:00:00.000Z')).toBeNull();
  });

  it('deletes after the default or the case’s own period, never while open or held', () => {
    const at = '2026-01-01T00:00:00.000Z';
    expect(deleteAfter(closed(at), 90)?.toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(deleteAfter(closed(at, { retention_days: 10 }), 90)?.toISOString()).toBe(
      '2026-01-11T00:00:00.000Z',
    );
    expect(deleteAfter(closed(at, { legal_hold: 1 }), 90)).toBeUndefined();
    expect(deleteAfter({ ...closed(at), status: 'missing' }, 90)).toBeUndefined();
    expect(isDue(closed(at), 90, new Date('2026-03-31T23:59:59.000Z'))).toBe(false);
    expect(isDue(closed(at), 90, new Date('2026-04-01T00:00:00.000Z'))).toBe(true);
  });

  it('runs daily at 03:00 UTC, keyed by the day', () => {
    const now = new Date('2026-12-08T22:15:00.000Z');
    expect(nextDailyRun(now).toISOString()).toBe('2026-12-09T03:00:00.000Z');
    expect(retentionJobKey(now)).toBe('retention:2026-12-08');
  });
});
