import { recordAudit } from '../audit/audit.service.js';
import type { Config } from '../config.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Db, Executor } from '../db/database.js';
import { AppError, notFound } from '../shared/app-error.js';
import { newId, nowIso } from '../shared/clock.js';
import { eraseCaseFiles, eraseCaseRows, type EraseDeps } from './case-deletion.service.js';
import { findActiveSearchIdsOfCase } from './case-usage.repository.js';
import { closedAtAfter, deleteAfter, effectiveRetentionDays } from './case-retention.policy.js';
import { findCaseRole, findCaseRoles } from './case-access.repository.js';
import { checkCaseRole, type CaseAccess } from './case-access.service.js';
import { insertMember } from './case-member.repository.js';
import type { CaseRole } from '../db/tables/case-member.table.js';
import {
  findCase,
  findCases,
  insertCase,
  listVisibleCaseNames,
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
import { openCaseRow, sealCaseColumns } from './case.sealing.js';

/** Who acts, for access checks and the audit trail. */
export interface Actor {
  userId: string;
  ip: string;
}

export { caseFolder } from './case-deletion.service.js';

/** Reading a case needs the default retention to tell when it will be deleted. */
export interface CaseReadDeps {
  db: Db;
  config: Pick<Config, 'RETENTION_DAYS'>;
  /** Names and notes are sealed with the case's data key. */
  fields: FieldCipher;
}

const lifecycleOf = (row: CaseRowWithCount, defaultDays: number) => ({
  closedAt: row.closed_at,
  retentionDays: row.retention_days,
  effectiveRetentionDays: effectiveRetentionDays(row, defaultDays),
  deleteAfter: deleteAfter(row, defaultDays)?.toISOString() ?? null,
  legalHold:
    row.legal_hold !== 0
      ? {
          reason: row.legal_hold_reason ?? '',
          placedAt: row.legal_hold_at ?? row.updated_at,
          placedBy: row.legal_hold_by,
        }
      : null,
});

const toView = (row: CaseRowWithCount, role: CaseRole, defaultDays: number): CaseView => ({
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
  ...lifecycleOf(row, defaultDays),
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

export async function createCase(
  deps: CaseReadDeps,
  actor: Actor,
  input: CreateCaseInput,
): Promise<CaseView> {
  const id = newId();
  const now = nowIso();
  const sealed = await sealCaseColumns(deps.fields, id, {
    first_name: input.firstName,
    last_name: input.lastName,
    last_seen_location: input.lastSeenLocation ?? null,
    notes: input.notes ?? null,
  });
  await deps.db.transaction().execute(async (trx) => {
    await insertCase(trx, {
      id,
      owner_id: actor.userId,
      ...sealed,
      age: input.age ?? null,
      gender: input.gender ?? null,
      height_cm: input.heightCm ?? null,
      weight_kg: input.weightKg ?? null,
      last_seen_at: isoOrNull(input.lastSeenAt),
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
      // No name: the audit trail outlives the case (and its purge).
      description: 'Opened the case',
      ip: actor.ip,
    });
  });
  return getCase(deps, actor.userId, id);
}

export async function getCase(deps: CaseReadDeps, userId: string, id: string): Promise<CaseView> {
  const { row, role } = await requireCase(deps.db, userId, id, 'read');
  return toView(await openCaseRow(deps.fields, row), role, deps.config.RETENTION_DAYS);
}

/**
 * The page of the user's cases whose opened "first last" contains `q` (case-insensitively):
 * names are sealed, so the match runs here over the names of every case the user can see.
 */
async function findCasesByName(
  deps: CaseReadDeps,
  userId: string,
  query: ListCasesQuery & { q: string },
): Promise<{ rows: CaseRowWithCount[]; total: number }> {
  const wanted = query.q.toLowerCase();
  const named = await listVisibleCaseNames(deps.db, userId, query.status);
  const matching: string[] = [];
  for (const row of named) {
    const opened = await openCaseRow(deps.fields, row);
    const name = `${opened.first_name} ${opened.last_name}`.toLowerCase();
    if (name.includes(wanted)) matching.push(row.id);
  }
  const offset = (query.page - 1) * query.pageSize;
  const rows = await findCases(deps.db, matching.slice(offset, offset + query.pageSize));
  return { rows, total: matching.length };
}

export async function listCases(
  deps: CaseReadDeps,
  userId: string,
  query: ListCasesQuery,
): Promise<{ items: CaseView[]; page: number; pageSize: number; total: number }> {
  const { db, fields } = deps;
  const { rows, total } = query.q
    ? await findCasesByName(deps, userId, { ...query, q: query.q })
    : await listVisibleCases(db, userId, {
        status: query.status,
        limit: query.pageSize,
        offset: (query.page - 1) * query.pageSize,
      });
  const roles = await findCaseRoles(
    db,
    userId,
    rows.map((row) => row.id),
  );
  const items: CaseView[] = [];
  for (const row of rows) {
    const role = roles.get(row.id);
    if (role) items.push(toView(await openCaseRow(fields, row), role, deps.config.RETENTION_DAYS));
  }
  return { items, page: query.page, pageSize: query.pageSize, total };
}

/**
 * The columns a status change writes besides the status: `closed_at` starts the retention period
 * when the case is found or closed and is cleared when it is reopened.
 */
export function statusChange(
  existing: { status: CaseRowWithCount['status']; closed_at: string | null },
  changes: MissingPersonUpdate,
  now: string,
): MissingPersonUpdate {
  if (changes.status === undefined || changes.status === existing.status) return changes;
  return { ...changes, closed_at: closedAtAfter(existing, changes.status, now) };
}

async function updateCase(
  deps: CaseReadDeps,
  actor: Actor,
  id: string,
  changes: MissingPersonUpdate,
): Promise<CaseView> {
  const sealed = await sealCaseColumns(deps.fields, id, changes);
  await deps.db.transaction().execute(async (trx) => {
    const { row } = await requireCase(trx, actor.userId, id, 'edit');
    const now = nowIso();
    await updateCaseRow(trx, id, { ...statusChange(row, sealed, now), updated_at: now });
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'case.update',
      targetType: 'missing_person',
      targetId: id,
      description: `Changed ${Object.keys(changes).join(', ')}`,
      ip: actor.ip,
    });
  });
  return getCase(deps, actor.userId, id);
}

export function replaceCase(
  deps: CaseReadDeps,
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
  return updateCase(deps, actor, id, columnsOf(replaced));
}

export function patchCase(
  deps: CaseReadDeps,
  actor: Actor,
  id: string,
  input: PatchCaseInput,
): Promise<CaseView> {
  return updateCase(deps, actor, id, columnsOf(input));
}

/** Deleting a case removes its rows and its files and destroys its data key. */
export type CaseDeps = CaseReadDeps & EraseDeps;

/**
 * Deletes the case with its photos, embeddings and finished searches (their results and files),
 * then destroys its data key, so nothing of it stays readable (in backups either).
 * Refuses with IN_USE while a search of the person is queued, running or paused.
 */
export async function deleteCase(deps: CaseDeps, actor: Actor, id: string): Promise<void> {
  const erased = await deps.db.transaction().execute(async (trx) => {
    const { row: existing } = await requireCase(trx, actor.userId, id, 'manage');
    const active = await findActiveSearchIdsOfCase(trx, id);
    if (active.length > 0) {
      throw new AppError(
        'IN_USE',
        'A search of this person is still queued, running or paused; cancel it first',
        { searchIds: active },
      );
    }
    const rows = await eraseCaseRows(trx, existing);
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'case.delete',
      targetType: 'missing_person',
      targetId: id,
      description: `Deleted the case with ${existing.photo_count} photo(s) and ${rows.searchCount} finished search(es)`,
      ip: actor.ip,
    });
    return rows;
  });
  await eraseCaseFiles(deps, erased);
}

// What account deletion and export use of a case's searches and embeddings.
export { deleteSearches, findSearchFileKeys } from './case-usage.repository.js';
export { bytesToEmbedding } from './embedding.codec.js';
