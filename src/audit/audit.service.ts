import type { Executor } from '../db/database.js';
import { newId, nowIso } from '../shared/clock.js';
import type { AuditLogRow } from '../db/tables/audit.table.js';
import { deleteAuditLogsBefore, insertAuditLog, listUserAuditLogs } from './audit.repository.js';

export interface AuditEntry {
  userId: string | null;
  /** Dotted verb, e.g. `auth.login`, `case.delete`. */
  action: string;
  targetType?: string;
  targetId?: string;
  description?: string;
  ip?: string | null;
}

export interface AuditEvent {
  id: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  description: string | null;
  ip: string | null;
  createdAt: string;
}

/** Records a security-relevant action; pass the transaction when it belongs to one. */
export async function recordAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await insertAuditLog(db, {
    id: newId(),
    user_id: entry.userId,
    action: entry.action,
    target_type: entry.targetType ?? null,
    target_id: entry.targetId ?? null,
    description: entry.description ?? null,
    ip: entry.ip ?? null,
    created_at: nowIso(),
  });
}

/** An audit row as the API shows it. */
export const toAuditEvent = (row: AuditLogRow): AuditEvent => ({
  id: row.id,
  action: row.action,
  targetType: row.target_type,
  targetId: row.target_id,
  description: row.description,
  ip: row.ip,
  createdAt: row.created_at,
});

export async function listOwnAudit(
  db: Executor,
  userId: string,
  page: number,
  pageSize: number,
): Promise<{ items: AuditEvent[]; page: number; pageSize: number; total: number }> {
  const { rows, total } = await listUserAuditLogs(db, userId, {
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  return { items: rows.map(toAuditEvent), page, pageSize, total };
}

/** The retention purge: deletes audit rows recorded before `before`; answers how many. */
export function purgeAuditBefore(db: Executor, before: Date): Promise<number> {
  return deleteAuditLogsBefore(db, before.toISOString());
}

// Other features ask the audit log through this service, e.g. whether an alert went out lately.
export { hasRecentAudit } from './audit.repository.js';
