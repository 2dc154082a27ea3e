import type { Db } from '../db/database.js';
import type { AppearanceDto } from '../contracts/search.contract.js';
import type { SearchRow } from '../db/tables/search.table.js';
import { nowIso } from '../shared/clock.js';
import type { AnalysisTarget } from './analysis.source.js';
import {
  findAppearance,
  findDetection,
  listAppearances,
  setAppearanceClip,
} from './result.repository.js';
import {
  publishProgress,
  publishSearchEvent,
  type SearchEventDeps,
} from './search-events.service.js';
import { toAppearance } from './search.mapper.js';
import { transitionSearchVideo } from './search.repository.js';
import { settleSearchStatus, type SearchServiceDeps } from './search.service.js';

// What searches offer the features that feed or follow an analysis (a live feed's frame source,
// its clips and alerts): they read and complete a search video's results only through here.

/**
 * Marks a running search video completed (with its final processed time, when known), publishes
 * it and settles the search; false when it was paused or cancelled meanwhile.
 */
export async function completeSearchVideo(
  deps: SearchServiceDeps,
  search: SearchRow,
  svId: string,
  processedMs?: number,
): Promise<boolean> {
  const now = nowIso();
  const completed = await transitionSearchVideo(deps.db, svId, ['running'], {
    status: 'completed',
    ...(processedMs === undefined ? {} : { processed_ms: processedMs }),
    finished_at: now,
    updated_at: now,
  });
  if (!completed) return false;
  await publishProgress(deps, search, svId);
  await settleSearchStatus(deps, search.id);
  return true;
}

/** The track keys of the appearances a search video already has (a resumed run adds no twins). */
export async function analysedTrackKeys(db: Db, target: AnalysisTarget): Promise<Set<string>> {
  const rows = await listAppearances(db, target.searchId, { searchVideoId: target.searchVideoId });
  return new Set(rows.map((row) => row.track_key));
}

/** The appearance a track became, as the API shows it, with its best detection. */
export async function trackAppearance(
  db: Db,
  target: AnalysisTarget,
  trackKey: string,
): Promise<{ appearance: AppearanceDto; bestDetectionId: string | null } | undefined> {
  const rows = await listAppearances(db, target.searchId, { searchVideoId: target.searchVideoId });
  const row = rows.find((candidate) => candidate.track_key === trackKey);
  return row && { appearance: toAppearance(row), bestDetectionId: row.best_detection_id };
}

/** Tells the search's subscribers about appearances that changed (e.g. got their clip). */
export async function publishAppearances(
  deps: SearchEventDeps,
  searchId: string,
  ids: string[],
): Promise<void> {
  for (const id of ids) {
    const row = await findAppearance(deps.db, searchId, id);
    if (row) {
      await publishSearchEvent(deps, {
        type: 'search.detection',
        searchId,
        appearance: toAppearance(row),
      });
    }
  }
}

/** The appearances of a search video that have no clip yet. */
export async function appearancesWithoutClip(db: Db, target: AnalysisTarget) {
  return listAppearances(db, target.searchId, {
    searchVideoId: target.searchVideoId,
    withoutClip: true,
  });
}

/** Records the stored clip of an appearance. */
export async function recordAppearanceClip(db: Db, appearanceId: string, clipKey: string) {
  await setAppearanceClip(db, appearanceId, clipKey);
}

/** The storage key of a detection's annotated frame, if it has one. */
export async function detectionFrameKey(
  db: Db,
  searchId: string,
  detectionId: string,
): Promise<string | null> {
  return (await findDetection(db, searchId, detectionId))?.frame_key ?? null;
}
