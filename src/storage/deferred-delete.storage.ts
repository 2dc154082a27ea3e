import type { Storage } from './storage.types.js';

/** Decides whether a deletion must wait for a running backup, and records it when it must. */
export interface DeletionGate {
  /** True when the deletion was recorded for later (a backup is running); false to delete now. */
  defer(key: string, isPrefix: boolean): Promise<boolean>;
}

/**
 * Holds deletions back while a backup runs: the backup's database snapshot may still name the
 * file, so the file is kept until the backup has copied it and deleted once the backup ends.
 */
export function withDeferredDeletes(inner: Storage, gate: DeletionGate): Storage {
  return {
    ...inner,
    async delete(key) {
      if (!(await gate.defer(key, false))) await inner.delete(key);
    },
    async deletePrefix(prefix) {
      if (!(await gate.defer(prefix, true))) await inner.deletePrefix(prefix);
    },
  };
}
