import type { Selectable } from 'kysely';

/** The one backup lease (`name` = 'backup'): who holds it, until when (ISO time). */
export interface BackupLockTable {
  name: string;
  holder: string;
  expires_at: string;
}

/** A storage deletion asked for while a backup ran, performed once it ended. */
export interface DeferredDeletesTable {
  storage_key: string;
  /** 1: every object under the key (a folder), 0: the one object. */
  is_prefix: number;
  deferred_at: string;
}

export type BackupRunStatus = 'running' | 'succeeded' | 'failed';

export interface BackupRunsTable {
  id: string;
  kind: 'scheduled' | 'manual';
  status: BackupRunStatus;
  started_at: string;
  finished_at: string | null;
  file: string | null;
  size_bytes: number | null;
  error: string | null;
}

export type BackupRunRow = Selectable<BackupRunsTable>;
