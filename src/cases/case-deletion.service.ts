import { caseScope, type Keyring } from '../crypto/keyring.js';
import type { Db, Executor } from '../db/database.js';
import type { Storage } from '../storage/storage.types.js';
import {
  deleteSearches,
  findSearchesOfCase,
  findSearchFileKeys,
  findVideoIdsOfSearches,
} from './case-usage.repository.js';
import { deleteCaseRow } from './case.repository.js';
import { deletePhotosOfCase } from './person-photo.repository.js';

/*
 * The one way a case goes, whether its owner deletes it or the retention purge does: rows first
 * (in the caller's transaction), then, after the commit, its files and last its data key, so
 * that whatever a backup or a missed file still holds of it can never be decrypted again.
 */

/** Every file of a case (its photos) lives under this prefix. */
export const caseFolder = (ownerId: string, missingPersonId: string) =>
  `users/${ownerId}/cases/${missingPersonId}/`;

/** Every file of a search (frames, faces, clips, live relay) lives under this prefix. */
const searchFolder = (ownerId: string, searchId: string) =>
  `users/${ownerId}/searches/${searchId}/`;

/** Deleting a case's files and shredding its key. */
export interface EraseDeps {
  db: Db;
  storage: Storage;
  keyring: Pick<Keyring, 'destroy'>;
}

/** What is left to do once a case's rows are gone: its files and its key. */
export interface ErasedCase {
  id: string;
  searchCount: number;
  /** Footage its searches used: the retention purge checks whether anything still uses it. */
  videoIds: string[];
  folders: string[];
  fileKeys: string[];
}

/** Deletes the case's rows: searches with their results, photos, embeddings, members, the case. */
export async function eraseCaseRows(
  trx: Executor,
  existing: { id: string; owner_id: string },
): Promise<ErasedCase> {
  const searches = await findSearchesOfCase(trx, existing.id);
  const searchIds = searches.map((search) => search.id);
  const videoIds = await findVideoIdsOfSearches(trx, searchIds);
  // Photos by their own keys too: a case that changed owner keeps them under the first owner.
  const photos = await trx
    .selectFrom('person_photos')
    .select('storage_key')
    .where('missing_person_id', '=', existing.id)
    .execute();
  const fileKeys = [
    ...(await findSearchFileKeys(trx, searchIds)),
    ...photos.map((photo) => photo.storage_key),
  ];
  await deleteSearches(trx, searchIds);
  await deletePhotosOfCase(trx, existing.id);
  await deleteCaseRow(trx, existing.id);
  return {
    id: existing.id,
    searchCount: searchIds.length,
    videoIds,
    folders: [
      caseFolder(existing.owner_id, existing.id),
      ...searches.map((search) => searchFolder(search.owner_id, search.id)),
    ],
    fileKeys,
  };
}

/** After the commit: the case's files, then its data key (crypto-shredding). */
export async function eraseCaseFiles(deps: EraseDeps, erased: ErasedCase): Promise<void> {
  for (const folder of erased.folders) await deps.storage.deletePrefix(folder);
  await Promise.all(erased.fileKeys.map((key) => deps.storage.delete(key)));
  await deps.keyring.destroy(caseScope(erased.id));
}
