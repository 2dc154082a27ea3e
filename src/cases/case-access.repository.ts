import type { Executor } from '../db/database.js';
import type { CaseRole } from '../db/tables/case-member.table.js';

/*
 * The one access rule of cases and everything that hangs off them: a user sees a case, its photos
 * and its searches when they have a `case_members` row for it, and footage when they uploaded it
 * or it is used by a search of a case they see. Every feature scopes its reads with these.
 */

/** Subquery of the ids of the cases `userId` is a member of (any role). */
export const visibleCaseIds = (db: Executor, userId: string) =>
  db
    .selectFrom('case_members')
    .select('case_members.missing_person_id')
    .where('user_id', '=', userId);

/** Subquery of the ids of the searches of cases `userId` is a member of. */
export const visibleSearchIds = (db: Executor, userId: string) =>
  db
    .selectFrom('searches')
    .select('searches.id')
    .where('searches.missing_person_id', 'in', visibleCaseIds(db, userId));

/** Subquery of the ids of the footage `userId` uploaded or that one of `searchIds` uses. */
const ownOrUsedBy = (
  db: Executor,
  userId: string,
  searchIds: ReturnType<typeof visibleSearchIds>,
) =>
  db
    .selectFrom('videos')
    .select('videos.id')
    .where((eb) =>
      eb.or([
        eb('videos.owner_id', '=', userId),
        eb(
          'videos.id',
          'in',
          eb
            .selectFrom('search_videos')
            .select('search_videos.video_id')
            .where('search_videos.search_id', 'in', searchIds),
        ),
      ]),
    );

/** Subquery of the ids of footage `userId` uploaded or sees through a search of a shared case. */
export const visibleVideoIds = (db: Executor, userId: string) =>
  ownOrUsedBy(db, userId, visibleSearchIds(db, userId));

/**
 * Subquery of the footage a search of `missingPersonId` started by `userId` may use: their own, and
 * footage already used by searches of the same case (so shared footage never reaches another case).
 */
export const usableVideoIds = (db: Executor, userId: string, missingPersonId: string) =>
  ownOrUsedBy(
    db,
    userId,
    db
      .selectFrom('searches')
      .select('searches.id')
      .where('searches.missing_person_id', '=', missingPersonId),
  );

/** The user's role in the case, or undefined when they are no member (or there is no case). */
export async function findCaseRole(
  db: Executor,
  userId: string,
  missingPersonId: string,
): Promise<CaseRole | undefined> {
  const row = await db
    .selectFrom('case_members')
    .select('role')
    .where('missing_person_id', '=', missingPersonId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.role;
}

/** The user's roles in each of the given cases. */
export async function findCaseRoles(
  db: Executor,
  userId: string,
  missingPersonIds: string[],
): Promise<Map<string, CaseRole>> {
  if (missingPersonIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('case_members')
    .select(['missing_person_id', 'role'])
    .where('user_id', '=', userId)
    .where('missing_person_id', 'in', missingPersonIds)
    .execute();
  return new Map(rows.map((row) => [row.missing_person_id, row.role]));
}
