import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { CaseRole } from '../db/tables/case-member.table.js';
import type {
  CaseStatus,
  MissingPersonRow,
  MissingPersonUpdate,
  NewMissingPerson,
} from '../db/tables/case.table.js';

export type CaseRowWithCount = MissingPersonRow & { photo_count: number };

export interface CaseListFilter {
  status?: CaseStatus;
  /** Matched case-insensitively against "first last". */
  q?: string;
  limit: number;
  offset: number;
}

function withPhotoCount(db: Executor) {
  return db
    .selectFrom('missing_persons')
    .selectAll('missing_persons')
    .select((eb) =>
      eb
        .selectFrom('person_photos')
        .whereRef('person_photos.missing_person_id', '=', 'missing_persons.id')
        .where('person_photos.enrolled', '=', 1)
        .select((c) => c.fn.countAll<number>().as('n'))
        .as('photo_count'),
    );
}

const likePattern = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function insertCase(db: Executor, row: NewMissingPerson): Promise<void> {
  await db.insertInto('missing_persons').values(row).execute();
}

/** The case by id, unscoped: callers check the user's role first (case-access). */
export async function findCase(db: Executor, id: string): Promise<CaseRowWithCount | undefined> {
  const row = await withPhotoCount(db).where('missing_persons.id', '=', id).executeTakeFirst();
  return row && { ...row, photo_count: Number(row.photo_count) };
}

/** The cases the user is a member of (owned or shared with them). */
/** The cases the user is a member of (owned or shared with them), with their role in each. */
export async function listVisibleCases(
  db: Executor,
  userId: string,
  filter: CaseListFilter,
): Promise<{ rows: (CaseRowWithCount & { role: CaseRole })[]; total: number }> {
  let query = withPhotoCount(db)
    .innerJoin('case_members', 'case_members.missing_person_id', 'missing_persons.id')
    .where('case_members.user_id', '=', userId);
  if (filter.status) query = query.where('missing_persons.status', '=', filter.status);
  if (filter.q) {
    const pattern = likePattern(filter.q);
    query = query.where(
      sql<boolean>`lower(first_name || ' ' || last_name) like ${pattern} escape '\\'`,
    );
  }
  // The total rides along with the page (a window count); a page past the end counts on its own.
  const page = await query
    .select(['case_members.role', (eb) => eb.fn.countAll<number>().over().as('total_count')])
    .orderBy('missing_persons.created_at', 'desc')
    .orderBy('missing_persons.id', 'desc')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  const total = page[0]
    ? page[0].total_count
    : (
        await query
          .clearSelect()
          .select((eb) => eb.fn.countAll<number>().as('total'))
          .executeTakeFirstOrThrow()
      ).total;
  return {
    rows: page.map(({ total_count: _total, ...row }) => ({
      ...row,
      photo_count: Number(row.photo_count),
    })),
    total: Number(total),
  };
}

export async function updateCaseRow(
  db: Executor,
  id: string,
  changes: MissingPersonUpdate,
): Promise<void> {
  await db.updateTable('missing_persons').set(changes).where('id', '=', id).execute();
}

/** Deletes the case row with its members. */
export async function deleteCaseRow(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('case_members').where('missing_person_id', '=', id).execute();
  await db.deleteFrom('missing_persons').where('id', '=', id).execute();
}
