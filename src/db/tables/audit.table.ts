import type { Insertable, Selectable } from 'kysely';

export interface AuditLogsTable {
  id: string;
  /** Kept (as null) when the user is gone, so the trail outlives the account. */
  user_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  description: string | null;
  ip: string | null;
  created_at: string;
  /** `deleted-user:<hmac>` once the account is deleted (user_id is then null); else null. */
  actor_pseudonym: string | null;
}

export type AuditLogRow = Selectable<AuditLogsTable>;
export type NewAuditLog = Insertable<AuditLogsTable>;
