import type { Executor } from '../db/database.js';

/** Bytes of the owner's uploaded footage, as recorded when each upload was accepted. */
export async function sumOwnedVideoBytes(db: Executor, ownerId: string): Promise<number> {
  const row = await db
    .selectFrom('videos')
    .select((eb) => eb.fn.sum<number | string | null>('size_bytes').as('bytes'))
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
  return Number(row?.bytes ?? 0);
}

/** Storage keys of the owner's reference photos (their sizes are read from storage). */
export async function listOwnedPhotoKeys(db: Executor, ownerId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('person_photos')
    .select('storage_key')
    .where('owner_id', '=', ownerId)
    .execute();
  return rows.map((row) => row.storage_key);
}
