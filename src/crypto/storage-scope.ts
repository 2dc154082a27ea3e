import type { Executor } from '../db/database.js';
import { caseScope, userScope, type KeyScope } from './keyring.js';

const USER_KEY = /^users\/([^/]+)\/(?:(cases|searches|videos)\/([^/]+)\/)?/;

/**
 * Which data key encrypts a stored file, from its key's layout: a case's photos and a search's
 * frames, faces, clips and live relay belong to the case (shredded with it); footage and
 * everything else under `users/<id>/` to its owner.
 */
export function storageScopeResolver(db: Executor): (storageKey: string) => Promise<KeyScope> {
  const caseOfSearch = new Map<string, string | undefined>();
  const lookUpCase = async (searchId: string) => {
    if (!caseOfSearch.has(searchId)) {
      const row = await db
        .selectFrom('searches')
        .select('missing_person_id')
        .where('id', '=', searchId)
        .executeTakeFirst();
      caseOfSearch.set(searchId, row?.missing_person_id);
    }
    return caseOfSearch.get(searchId);
  };
  return async (storageKey) => {
    const match = USER_KEY.exec(storageKey);
    if (!match) throw new Error(`No encryption scope for storage key ${storageKey}`);
    const [, userId, folder, id] = match;
    if (folder === 'cases' && id) return caseScope(id);
    if (folder === 'searches' && id) {
      const caseId = await lookUpCase(id);
      return caseId ? caseScope(caseId) : userScope(userId!);
    }
    return userScope(userId!);
  };
}
