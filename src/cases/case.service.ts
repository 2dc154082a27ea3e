import { recordAudit } from '../audit/audit.service.js';
import type { Db, Executor } from '../db/database.js';
import { AppError, notFound } from '../shared/app-error.js';
import { newId, nowIso } from '../shared/clock.js';
import type { Storage } from '../storage/storage.types.js';
import {
  deleteSearches,
  findActiveSearchIdsOfCase,
  findSearchFileKeys,
  findSearchIdsOfCase,
} from './case-usage.repository.js';
import { findCaseRole } from './case-access.repository.js';
import { checkCaseRole, type CaseAccess } from './case-access.service.js';
import { insertMember } from './case-member.repository.js';
import type { CaseRole } from '../db/tables/case-member.table.js';
import {
  deleteCaseRow,
  findCase,
  insertCase,
  listVisibleCases,
  updateCaseRow,
  type CaseRowWithCount,
} from './case.repository.js';
import type {
  CaseView,
  CreateCaseInput,
  ListCasesQuery,
  PatchCaseInput,
  ReplaceCaseInput,
} from './case.schema.js';
import type { MissingPersonUpdate } from '../db/tables/case.table.js';
import { deletePhotosOfCase } from './person-photo.repository.js';

/** Who acts, for access checks and the audit trail. */
export interface Actor {
  userId: string;
  ip: string;
}

/** Every file of a case (its photos) lives under this prefix. */
export const caseFolder = (ownerId: string, missingPersonId: string) =>
  `users/${ownerId}/cases/${missingPersonId}/`;

const toView = (row: CaseRowWithCount, role: CaseRole): CaseView => ({
  id: row.id,
  firstName: row.first_name,
  lastName: row.last_name,
  age: row.age,
  gender: row.gender,
  heightCm: row.height_cm,
  weightKg: row.weight_kg,
  lastSeenLocation: row.last_seen_location,
  lastSeenAt: row.last_seen_at,
  notes: row.notes,
  status: row.status,
  role,
  photoCount: row.photo_count,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const isoOrNull = (value: string | null | undefined) =>
  value == null ? null : new Date(value).toISOString();

function columnsOf(input: PatchCaseInput): MissingPersonUpdate {
  const columns: MissingPersonUpdate = {
    first_name: input.firstName,
    last_name: input.lastName,
    age: input.age,
    gender: input.gender,
    height_cm: input.heightCm,
    weight_kg: input.weightKg,
    last_seen_location: input.lastSeenLocation,
    last_seen_at: input.lastSeenAt === undefined ? undefined : isoOrNull(input.lastSeenAt),
    notes: input.notes,
    status: input.status,
  };
  return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
}

/**
 * The case with the caller's role, after checking the role allows `access`: NOT_FOUND for a
 * non-member (as for a case that does not exist), FORBIDDEN for a member whose role is too weak.
 */
export async function requireCase(
  db: Executor,
  userId: string,
  id: string,
  access: CaseAccess,
): Promise<{ row: CaseRowWithCount; role: CaseRole }> {
  const role = checkCaseRole(await findCaseRole(db, userId, id), access);
  const row = await findCase(db, id);
  if (!row) throw notFound('Missing person');
  return { row, role };
}

export async function createCase(db: Db, actor: Actor, input: CreateCaseInput): Promise<CaseView> {
  const id = newId();
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    await insertCase(trx, {
      id,
      owner_id: actor.userId,
      first_name: input.firstName,
      last_name: input.lastName,
      age: input.age ?? null,
      gender: input.gender ?? null,
      height_cm: input.heightCm ?? null,
      weight_kg: input.weightKg ?? null,
      last_seen_location: input.lastSeenLocation ?? null,
      last_seen_at: isoOrNull(input.lastSeenAt),
      notes: input.notes ?? null,
      status: 'missing',
      created_at: now,
      updated_at: now,
    });
    await insertMember(trx, {
      missing_person_id: id,
      user_id: actor.userId,
      role: 'owner',
      added_by: actor.userId,
      created_at: now,
      updated_at: now,
    });
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'case.create',
      targetType: 'missing_person',
      targetId: id,
      description: `Opened case ${input.firstName} ${input.lastName}`,
      ip: actor.ip,
    });
  });
  return getCase(db, actor.userId, id);
}

export async function getCase(db: Executor, userId: string, id: string): Promise<CaseView> {
  const { row, role } = await requireCase(db, userId, id, 'read');
  return toView(row, role);
}

export async function listCases(
  db: Db,
  userId: string,
  query: ListCasesQuery,
): Promise<{ items: CaseView[]; page: number; pageSize: number; total: number }> {
  const { rows, total } = await listVisibleCases(db, userId, {
    status: query.status,
    q: query.q,
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  const items = rows.map(({ role, ...row }) => toView(row, role));
  return { items, page: query.page, pageSize: query.pageSize, total };
}

async function updateCase(
  db: Db,
  actor: Actor,
  id: string,
  changes: MissingPersonUpdate,
): Promise<CaseView> {
  await db.transaction().execute(async (trx) => {
    await requireCase(trx, actor.userId, id, 'edit');
    await updateCaseRow(trx, id, { ...changes, updated_at: nowIso() });
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'case.update',
      targetType: 'missing_person',
      targetId: id,
      description: `Changed ${Object.keys(changes).join(', ')}`,
      ip: actor.ip,
    });
  });
  return getCase(db, actor.userId, id);
}

export function replaceCase(
  db: Db,
  actor: Actor,
  id: string,
  input: ReplaceCaseInput,
): Promise<CaseView> {
  const { status, ...fields } = input;
  const replaced: PatchCaseInput = {
    ...fields,
    age: fields.age ?? null,
    gender: fields.gender ?? null,
    heightCm: fields.heightCm ?? null,
    weightKg: fields.weightKg ?? null,
    lastSeenLocation: fields.lastSeenLocation ?? null,
    lastSeenAt: fields.lastSeenAt ?? null,
    notes: fields.notes ?? null,
    ...(status ? { status } : {}),
  };
  return updateCase(db, actor, id, columnsOf(replaced));
}

export function patchCase(
  db: Db,
  actor: Actor,
  id: string,
  input: PatchCaseInput,
): Promise<CaseView> {
  return updateCase(db, actor, id, columnsOf(input));
}

/** Deleting a case removes its rows and its files. */
export interface CaseDeps {
  db: Db;
  storage: Storage;
}

/**
 * Deletes the case with its photos, embeddings and finished searches (their results and files).
 * Refuses with IN_USE while a search of the person is queued, running or paused.
 */
export async function deleteCase(deps: CaseDeps, actor: Actor, id: string): Promise<void> {
  const deleted = await deps.db.transaction().execute(async (trx) => {
    const { row: existing } = await requireCase(trx, actor.userId, id, 'manage');
    const active = await findActiveSearchIdsOfCase(trx, id);
    if (active.length > 0) {
      throw new AppError(
        'IN_USE',
        'A search of this person is still queued, running or paused; cancel it first',
        { searchIds: active },
      );
    }
    const searchIds = await findSearchIdsOfCase(trx, id);
    const keys = await findSearchFileKeys(trx, searchIds);
    await deleteSearches(trx, searchIds);
    await deletePhotosOfCase(trx, id);
    await deleteCaseRow(trx, id);
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'case.delete',
      targetType: 'missing_person',
      targetId: id,
      description:
        `Deleted case ${existing.first_name} ${existing.last_name} with ` +
        `${existing.photo_count} photo(s) and ${searchIds.length} finished search(es)`,
      ip: actor.ip,
    });
    return { keys, ownerId: existing.owner_id };
  });
  // Files go after the commit: a failed transaction must not leave rows pointing at lost files.
  await deps.storage.deletePrefix(caseFolder(deleted.ownerId, id));
  await Promise.all(deleted.keys.map((key) => deps.storage.delete(key)));
}
