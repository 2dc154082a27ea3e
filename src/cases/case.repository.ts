import type { Executor } from '../db/database.js';
import { visibleCaseIds } from './case-access.repository.js';
import type {
  CaseStatus,
  MissingPersonRow,
  MissingPersonUpdate,
  NewMissingPerson,
} from '../db/tables/case.table.js';

export type CaseRowWithCount = MissingPersonRow & { photo_count: number };

export interface CaseListFilter {
  status?: CaseStatus;
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

export async function insertCase(db: Executor, row: NewMissingPerson): Promise<void> {
  await db.insertInto('missing_persons').values(row).execute();
}

/** The case by id, unscoped: callers check the user's role first (case-access). */
export async function findCase(db: Executor, id: string): Promise<CaseRowWithCount | undefined> {
  const row = await withPhotoCount(db).where('missing_persons.id', '=', id).executeTakeFirst();
  return row && { ...row, photo_count: Number(row.photo_count) };
}

function visibleCasesQuery(db: Executor, userId: string, status: CaseStatus | undefined) {
  const query = db.selectFrom('missing_persons').where('id', 'in', visibleCaseIds(db, userId));
  return status ? query.where('status', '=', status) : query;
}

/** The cases the user is a member of (owned or shared with them), newest first. */
export async function listVisibleCases(
  db: Executor,
  userId: string,
  filter: CaseListFilter,
): Promise<{ rows: CaseRowWithCount[]; total: number }> {
  const query = visibleCasesQuery(db, userId, filter.status);
  const { total } = await query
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const ids = query.select('id');
  const rows = await withPhotoCount(db)
    .where('missing_persons.id', 'in', ids)
    .orderBy('missing_persons.created_at', 'desc')
    .orderBy('missing_persons.id', 'desc')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return {
    rows: rows.map((row) => ({ ...row, photo_count: Number(row.photo_count) })),
    total: Number(total),
  };
}

/**
 * Ids and names (as stored, i.e. sealed) of every case the user is a member of, newest first:
 * the names are sealed, so a search by name runs over them once they are opened.
 */
export async function listVisibleCaseNames(
  db: Executor,
  userId: string,
  status: CaseStatus | undefined,
): Promise<Pick<MissingPersonRow, 'id' | 'first_name' | 'last_name'>[]> {
  return visibleCasesQuery(db, userId, status)
    .select(['id', 'first_name', 'last_name'])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** The cases with these ids, newest first, unscoped: callers chose ids the user may see. */
export async function findCases(db: Executor, ids: string[]): Promise<CaseRowWithCount[]> {
  if (ids.length === 0) return [];
  const rows = await withPhotoCount(db)
    .where('missing_persons.id', 'in', ids)
    .orderBy('missing_persons.created_at', 'desc')
    .orderBy('missing_persons.id', 'desc')
    .execute();
  return rows.map((row) => ({ ...row, photo_count: Number(row.photo_count) }));
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

/** The retention columns of every found or closed case without a legal hold. */
export async function findClosedCasesWithoutHold(db: Executor) {
  return db
    .selectFrom('missing_persons')
    .select(['id', 'owner_id', 'status', 'closed_at', 'retention_days', 'legal_hold'])
    .where('status', 'in', ['found', 'closed'])
    .where('legal_hold', '=', 0)
    .where('closed_at', 'is not', null)
    .execute();
}

/** The case's retention columns, read again inside the purge's transaction. */
export async function findRetentionFacts(db: Executor, id: string) {
  return db
    .selectFrom('missing_persons')
    .select(['id', 'owner_id', 'status', 'closed_at', 'retention_days', 'legal_hold'])
    .where('id', '=', id)
    .executeTakeFirst();
}
