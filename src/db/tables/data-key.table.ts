import type { Selectable } from 'kysely';

/** A data key, wrapped by the master key `master_key_id`; `scope` is `case:<id>` or `user:<id>`. */
export interface DataKeysTable {
  scope: string;
  wrapped_key: Uint8Array;
  master_key_id: string;
  created_at: string;
}

export type DataKeyRow = Selectable<DataKeysTable>;
