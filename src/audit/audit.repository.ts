import type { Executor } from '../db/database.js';
import type { AuditLogRow, NewAuditLog } from '../db/tables/audit.table.js';

export async function insertAuditLog(db: Executor, row: NewAuditLog): Promise<void> {
  await db.insertInto('audit_logs').values(row).execute();
}

/** One page of a user's own audit rows, newest first. */
export async function listUserAuditLogs(
  db: Executor,
  userId: string,
  page: { limit: number; offset: number },
): Promise<{ rows: AuditLogRow[]; total: number }> {
  const rows = await db
    .selectFrom('audit_logs')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const { total } = await db
    .selectFrom('audit_logs')
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return { rows, total: Number(total) };
}

/** Whether the user has an `action` row since `since` (e.g. an alert already sent). */
export async function hasRecentAudit(
  db: Executor,
  userId: string,
  action: string,
  since: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('audit_logs')
    .select('id')
    .where('user_id', '=', userId)
    .where('action', '=', action)
    .where('created_at', '>', since)
    .executeTakeFirst();
  return row !== undefined;
}

/** Deletes the rows recorded before `before`; answers how many. */
export async function deleteAuditLogsBefore(db: Executor, before: string): Promise<number> {
  const [result] = await db.deleteFrom('audit_logs').where('created_at', '<', before).execute();
  return Number(result?.numDeletedRows ?? 0);
}
