import { recordAudit } from '../audit/audit.service.js';
import { findCaseRole, findCaseRoles } from '../cases/case-access.repository.js';
import { checkCaseRole, type CaseAccess } from '../cases/case-access.service.js';
import type { CaseRole } from '../db/tables/case-member.table.js';
import { requireCase } from '../cases/case.service.js';
import { loadReferenceFaces, type PhotoServiceDeps } from '../cases/person-photo.service.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { caseScope } from '../crypto/keyring.js';
import type { Db, Executor } from '../db/database.js';
import type { EventBus } from '../events/event.types.js';
import type { JobQueue } from '../jobs/job.types.js';
import { resolveSettings } from '../recognition/presets.js';
import { AppError, notFound } from '../shared/app-error.js';
import { newId, nowIso } from '../shared/clock.js';
import { publishSearchStatus } from './search-events.service.js';
import { toListItem, toSearchVideo } from './search.mapper.js';
import {
  countAppearancesBySearch,
  findSearch,
  findSearchWithRole,
  findUsableVideos,
  insertSearch,
  insertSearchVideos,
  listVisibleSearches,
  listSearchVideos,
  searchVideoStatuses,
  transitionSearch,
  transitionSearchVideos,
  type SearchWithPerson,
} from './search.repository.js';
import type { CreateSearchInput, SearchDetail } from './search.schema.js';
import type { SearchListItem, SearchVideo } from '../contracts/search.contract.js';
import {
  aggregateStatus,
  allowedFrom,
  analysisJobKey,
  isTerminal,
  priorityValue,
  type SearchAction,
} from './search.state.js';
import type { SearchStatus } from '../db/tables/search.table.js';
import type { VideoKind } from '../db/tables/video.table.js';

/** Who acts, for access checks and the audit trail. */
export interface Actor {
  userId: string;
  ip: string;
}

const USABLE_VIDEO_STATUSES = new Set(['uploaded', 'processing', 'ready']);

export type SearchWithRole = SearchWithPerson & { role: CaseRole };

/**
 * The search with the caller's role in its case, after checking the role allows `access`:
 * NOT_FOUND for a non-member of the case (indistinguishable from a search that does not exist),
 * FORBIDDEN for a viewer's change.
 */
export async function requireSearch(
  db: Executor,
  userId: string,
  id: string,
  access: CaseAccess,
): Promise<SearchWithRole> {
  const found = await findSearchWithRole(db, userId, id);
  if (!found) throw notFound('Search');
  const { role, ...search } = found;
  return { ...search, role: checkCaseRole(role ?? undefined, access, 'Search') };
}

/** The user's role in the search's case; undefined for a non-member or a search that is gone. */
export async function findSearchRole(
  db: Executor,
  userId: string,
  searchId: string,
): Promise<CaseRole | undefined> {
  const search = await findSearch(db, searchId);
  return search && findCaseRole(db, userId, search.missing_person_id);
}

/** Reading searches: the person's name comes sealed with the case's data key. */
export interface SearchReadDeps {
  db: Executor;
  fields: FieldCipher;
}

/** The search with its person's name opened. */
async function withOpenName<T extends SearchWithPerson>(
  fields: FieldCipher,
  search: T,
): Promise<T> {
  const scope = caseScope(search.missing_person_id);
  const [firstName, lastName] = await Promise.all([
    fields.openText(scope, search.first_name),
    fields.openText(scope, search.last_name),
  ]);
  return { ...search, first_name: firstName, last_name: lastName };
}

async function detailOf(
  { db, fields }: SearchReadDeps,
  search: SearchWithRole,
): Promise<SearchDetail> {
  const [videos, counts, named] = await Promise.all([
    listSearchVideos(db, [search.id]),
    countAppearancesBySearch(db, [search.id]),
    withOpenName(fields, search),
  ]);
  return {
    ...toListItem(named, videos, counts.get(search.id) ?? 0, search.role),
    sampledFps: search.sampled_fps,
    videos: videos.map((video) => toSearchVideo(video, search.sampled_fps)),
  };
}

async function listItemsOf(
  { db, fields }: SearchReadDeps,
  userId: string,
  sealed: SearchWithPerson[],
): Promise<SearchListItem[]> {
  const ids = sealed.map((row) => row.id);
  const [videos, counts, roles, rows] = await Promise.all([
    listSearchVideos(db, ids),
    countAppearancesBySearch(db, ids),
    findCaseRoles(
      db,
      userId,
      sealed.map((row) => row.missing_person_id),
    ),
    Promise.all(sealed.map((row) => withOpenName(fields, row))),
  ]);
  return rows.flatMap((row) => {
    const role = roles.get(row.missing_person_id);
    if (!role) return [];
    const own = videos.filter((video) => video.search_id === row.id);
    return [toListItem(row, own, counts.get(row.id) ?? 0, role)];
  });
}

/**
 * A search reads the case's reference faces (describing photos again for a newer engine), queues
 * its analysis jobs and announces its status changes.
 */
export interface SearchServiceDeps extends PhotoServiceDeps {
  queue: JobQueue;
  events: EventBus;
}

async function enqueueAnalysis(
  deps: SearchServiceDeps,
  searchId: string,
  priority: number,
  videos: { id: string; video_id: string; kind: VideoKind }[],
): Promise<void> {
  for (const video of videos) {
    await deps.queue.enqueue(
      video.kind === 'live' ? 'search.watch-live-feed' : 'search.analyse-video',
      { searchId, searchVideoId: video.id },
      { dedupeKey: analysisJobKey(searchId, video.video_id), priority },
    );
  }
}

/** Refuses a search of a case without an enrolled photo: there would be no face to look for. */
async function requireReferenceFaces(deps: SearchServiceDeps, missingPersonId: string) {
  const references = await loadReferenceFaces(deps, missingPersonId);
  if (references.length === 0) {
    throw new AppError(
      'VALIDATION_FAILED',
      'The case has no enrolled photo: add a photo in which the face is clearly visible first',
      { missingPersonId },
    );
  }
}

/**
 * The videos to search, refused unless every one is one the caller may use (their own or footage
 * the case's searches already use) and analysable.
 */
async function requireUsableVideos(
  db: Executor,
  userId: string,
  missingPersonId: string,
  videoIds: string[],
) {
  const videos = await findUsableVideos(db, userId, missingPersonId, videoIds);
  const problems = videoIds.flatMap((id) => {
    const video = videos.find((candidate) => candidate.id === id);
    if (!video) return [{ videoId: id, reason: 'unknown video' }];
    if (video.kind === 'live') {
      // A live feed that is offline now may be back by the time its job starts: it is retried.
      return video.source_url && video.status !== 'failed'
        ? []
        : [{ videoId: id, reason: 'the live feed has no usable URL' }];
    }
    if (!video.storage_key) return [{ videoId: id, reason: 'the video file is not stored' }];
    if (!USABLE_VIDEO_STATUSES.has(video.status)) {
      return [{ videoId: id, reason: `the video is ${video.status}` }];
    }
    return [];
  });
  if (problems.length > 0) {
    throw new AppError(
      'VALIDATION_FAILED',
      `Some videos cannot be searched: ${problems.map((p) => `${p.videoId} (${p.reason})`).join(', ')}`,
      { videos: problems },
    );
  }
  return videos;
}

/** Stores the search with one row per video, audited, in one transaction. */
async function storeSearch(
  db: Db,
  actor: Actor,
  input: CreateSearchInput,
  search: { id: string; priority: number; createdAt: string },
  rows: Parameters<typeof insertSearchVideos>[1],
): Promise<void> {
  const settings = resolveSettings(input.preset, {
    sampledFps: input.sampledFps,
    threshold: input.threshold,
  });
  await db.transaction().execute(async (trx) => {
    await insertSearch(trx, {
      id: search.id,
      owner_id: actor.userId,
      missing_person_id: input.missingPersonId,
      status: 'queued',
      preset: input.preset,
      sampled_fps: settings.sampledFps,
      threshold: settings.threshold,
      priority: search.priority,
      created_at: search.createdAt,
      updated_at: search.createdAt,
    });
    await insertSearchVideos(trx, rows);
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'search.create',
      targetType: 'search',
      targetId: search.id,
      description: `Started a ${input.preset} search of case ${input.missingPersonId} over ${rows.length} video(s)`,
      ip: actor.ip,
    });
  });
}

/**
 * Checks that the caller may change the case (owner or editor), that it has an enrolled photo and
 * every video is usable, stores the search with one row per video, and queues one analysis job
 * per video.
 */
export async function createSearch(
  deps: SearchServiceDeps,
  actor: Actor,
  input: CreateSearchInput,
): Promise<SearchDetail> {
  await requireCase(deps.db, actor.userId, input.missingPersonId, 'edit');
  await requireReferenceFaces(deps, input.missingPersonId);
  const videoIds = [...new Set(input.videoIds)];
  const videos = await requireUsableVideos(deps.db, actor.userId, input.missingPersonId, videoIds);
  const now = nowIso();
  const search = { id: newId(), priority: priorityValue(input.priority), createdAt: now };
  const rows = videoIds.map((videoId) => ({
    id: newId(),
    search_id: search.id,
    video_id: videoId,
    status: 'queued' as const,
    processed_ms: 0,
    duration_ms: videos.find((video) => video.id === videoId)?.duration_ms ?? null,
    frames_analysed: 0,
    created_at: now,
    updated_at: now,
  }));
  await storeSearch(deps.db, actor, input, search, rows);
  const kindOf = (videoId: string) =>
    videos.find((video) => video.id === videoId)?.kind ?? 'upload';
  await enqueueAnalysis(
    deps,
    search.id,
    search.priority,
    rows.map((row) => ({ ...row, kind: kindOf(row.video_id) })),
  );
  return getSearch(deps, actor.userId, search.id);
}

export async function getSearch(
  deps: SearchReadDeps,
  userId: string,
  id: string,
): Promise<SearchDetail> {
  return detailOf(deps, await requireSearch(deps.db, userId, id, 'read'));
}

export async function listSearches(
  deps: SearchReadDeps,
  userId: string,
  query: { status?: SearchStatus; missingPersonId?: string; page: number; pageSize: number },
): Promise<{ items: SearchListItem[]; page: number; pageSize: number; total: number }> {
  const { rows, total } = await listVisibleSearches(deps.db, userId, {
    statuses: query.status ? [query.status] : undefined,
    missingPersonId: query.missingPersonId,
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  const items = await listItemsOf(deps, userId, rows);
  return { items, page: query.page, pageSize: query.pageSize, total };
}

/** Newest searches first, optionally only those in `statuses` (the dashboard's lists). */
export async function latestSearches(
  deps: SearchReadDeps,
  userId: string,
  limit: number,
  statuses?: SearchStatus[],
): Promise<SearchListItem[]> {
  const { rows } = await listVisibleSearches(deps.db, userId, { statuses, limit, offset: 0 });
  return listItemsOf(deps, userId, rows);
}

export async function getSearchVideos(
  db: Executor,
  userId: string,
  id: string,
): Promise<SearchVideo[]> {
  const search = await requireSearch(db, userId, id, 'read');
  const videos = await listSearchVideos(db, [id]);
  return videos.map((video) => toSearchVideo(video, search.sampled_fps));
}

const pastTense: Record<SearchAction, string> = {
  pause: 'paused',
  resume: 'resumed',
  cancel: 'cancelled',
};

function invalidTransition(action: SearchAction, status: SearchStatus): AppError {
  return new AppError('INVALID_STATE', `A ${status} search cannot be ${pastTense[action]}`, {
    status,
  });
}

/**
 * Pause, resume or cancel. The database holds the decision (the running analysis notices it at
 * its next checkpoint, also in another process); the queue is told too so a local job stops at
 * once and a queued one never starts.
 */
export async function applySearchAction(
  deps: SearchServiceDeps,
  actor: Actor,
  id: string,
  action: SearchAction,
): Promise<{ status: SearchStatus }> {
  const now = nowIso();
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const search = await requireSearch(trx, actor.userId, id, 'edit');
    if (!allowedFrom[action].includes(search.status)) {
      throw invalidTransition(action, search.status);
    }
    let status: SearchStatus;
    let videoIds: string[];
    switch (action) {
      case 'pause':
        status = 'paused';
        videoIds = await transitionSearchVideos(trx, id, ['queued', 'running'], {
          status: 'paused',
          updated_at: now,
        });
        break;
      case 'resume':
        status = 'queued';
        videoIds = await transitionSearchVideos(trx, id, ['paused'], {
          status: 'queued',
          updated_at: now,
        });
        break;
      case 'cancel':
        status = 'cancelled';
        videoIds = await transitionSearchVideos(trx, id, ['queued', 'running', 'paused'], {
          status: 'cancelled',
          finished_at: now,
          updated_at: now,
        });
        break;
    }
    const moved = await transitionSearch(trx, id, allowedFrom[action], {
      status,
      updated_at: now,
      ...(action === 'cancel' ? { finished_at: now } : {}),
    });
    if (!moved) throw invalidTransition(action, search.status);
    await recordAudit(trx, {
      userId: actor.userId,
      action: `search.${action}`,
      targetType: 'search',
      targetId: id,
      description: `The search of case ${search.missing_person_id} was ${pastTense[action]}`,
      ip: actor.ip,
    });
    return { status, videoIds, priority: search.priority };
  });

  if (action === 'resume') {
    const rows = (await listSearchVideos(deps.db, [id])).filter((row) =>
      outcome.videoIds.includes(row.video_id),
    );
    await enqueueAnalysis(deps, id, outcome.priority, rows);
  } else {
    await Promise.all(
      outcome.videoIds.map((videoId) => deps.queue.cancel(analysisJobKey(id, videoId))),
    );
  }
  await publishSearchStatus(deps, id, outcome.status);
  return { status: outcome.status };
}

/**
 * Cancels the given searches whatever their owner, without an access check: for account deletion,
 * which must stop every search still reading the departing user's footage or cases (live feeds
 * included: their analysis notices at its next checkpoint, a local job at once).
 */
export async function cancelSearches(
  deps: { db: Db; queue: Pick<JobQueue, 'cancel'>; events: EventBus },
  searchIds: string[],
): Promise<void> {
  const active = allowedFrom.cancel;
  for (const id of searchIds) {
    const now = nowIso();
    const videoIds = await deps.db.transaction().execute(async (trx) => {
      const moved = await transitionSearchVideos(trx, id, active, {
        status: 'cancelled',
        finished_at: now,
        updated_at: now,
      });
      await transitionSearch(trx, id, active, {
        status: 'cancelled',
        finished_at: now,
        updated_at: now,
      });
      return moved;
    });
    await Promise.all(videoIds.map((videoId) => deps.queue.cancel(analysisJobKey(id, videoId))));
    await publishSearchStatus(deps, id, 'cancelled');
  }
}

/**
 * Brings the search's status in line with its videos after one of them changed, unless a user
 * action (pause, cancel) holds it, and tells the subscribers when it changed.
 */
export async function settleSearchStatus(deps: SearchServiceDeps, searchId: string): Promise<void> {
  const statuses = await searchVideoStatuses(deps.db, searchId);
  const status = aggregateStatus(statuses);
  const now = nowIso();
  const changed = await transitionSearch(
    deps.db,
    searchId,
    ['queued', 'running'].filter((from) => from !== status) as SearchStatus[],
    {
      status,
      updated_at: now,
      ...(isTerminal(status) ? { finished_at: now } : {}),
    },
  );
  if (changed) await publishSearchStatus(deps, searchId, status);
}
