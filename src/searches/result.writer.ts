import type { MediaAdapter, VideoInfo } from '../media/media.types.js';
import type { Appearance, RgbFrame } from '../recognition/recognition.types.js';
import { newId, nowIso } from '../shared/clock.js';
import { publishSearchEvent, type SearchEventDeps } from './search-events.service.js';
import type { Storage } from '../storage/storage.types.js';
import { toAppearance } from './search.mapper.js';
import {
  findAppearance,
  findDetectionAt,
  insertDetections,
  listAppearances,
  refreshAppearanceTotals,
  setAppearanceClip,
  setDetectionImages,
  upsertAppearance,
} from './result.repository.js';
import { CLIP_PAD_MS, type AnalysisTarget } from './analysis.source.js';

const searchFolder = (target: AnalysisTarget) =>
  `users/${target.ownerId}/searches/${target.searchId}`;

// Boxes are stored rounded so that a re-run after a restart, which recomputes the same floats,
// hits the unique (frame, box) key instead of adding a near-identical twin.
const tenth = (value: number): number => Math.round(value * 10) / 10;

/** Matches are written to the database and storage, their images made by the media adapter. */
export interface ResultDeps extends SearchEventDeps {
  media: MediaAdapter;
  storage: Storage;
}

/**
 * Stores a match: the appearance (one row per track, grown in place), its detections (one per
 * frame and box, never twice) and the annotated frame and face crop of its best detection, then
 * tells the subscribers. Safe to call again with the same appearance after a restart.
 */
export async function storeMatch(
  deps: ResultDeps,
  target: AnalysisTarget,
  appearance: Appearance,
  bestFrame: RgbFrame | null,
): Promise<void> {
  const now = nowIso();
  const { appearanceId, best } = await deps.db.transaction().execute(async (trx) => {
    const id = await upsertAppearance(trx, {
      id: newId(),
      search_id: target.searchId,
      search_video_id: target.searchVideoId,
      video_id: target.videoId,
      track_key: appearance.trackKey,
      start_ms: appearance.startMs,
      end_ms: appearance.endMs,
      best_score: appearance.bestScore,
      now,
    });
    await insertDetections(
      trx,
      appearance.detections.map((face) => ({
        id: newId(),
        search_id: target.searchId,
        search_video_id: target.searchVideoId,
        video_id: target.videoId,
        appearance_id: id,
        time_ms: face.timeMs,
        confidence: face.score,
        box_x: tenth(face.box.x),
        box_y: tenth(face.box.y),
        box_width: tenth(face.box.width),
        box_height: tenth(face.box.height),
        created_at: now,
      })),
    );
    const bestRow = await findDetectionAt(
      trx,
      target.searchVideoId,
      appearance.best.timeMs,
      tenth(appearance.best.box.x),
      tenth(appearance.best.box.y),
    );
    if (!bestRow) throw new Error('The best detection of an appearance was not stored');
    await refreshAppearanceTotals(trx, id, bestRow.id, now);
    return { appearanceId: id, best: bestRow };
  });

  // Without pixels (a face reported before a resume) the images are made when first requested.
  if (bestFrame && (!best.frame_key || !best.face_key)) {
    const folder = searchFolder(target);
    const frameKey = `${folder}/frames/${best.id}.jpg`;
    const faceKey = `${folder}/faces/${best.id}.jpg`;
    const box = appearance.best.box;
    const [frameJpeg, faceJpeg] = await Promise.all([
      deps.media.annotatedFrameJpeg(bestFrame, box),
      deps.media.faceCropJpeg(bestFrame, box),
    ]);
    await deps.storage.put(frameKey, frameJpeg);
    await deps.storage.put(faceKey, faceJpeg);
    await setDetectionImages(deps.db, best.id, frameKey, faceKey);
  }
  await publishAppearance(deps, target.searchId, appearanceId);
}

async function publishAppearance(
  deps: ResultDeps,
  searchId: string,
  appearanceId: string,
): Promise<void> {
  const row = await findAppearance(deps.db, searchId, appearanceId);
  if (row) {
    await publishSearchEvent(deps, {
      type: 'search.detection',
      searchId,
      appearance: toAppearance(row),
    });
  }
}

/**
 * Cuts the clip of every appearance of the search video that has none yet. Runs after the
 * decode loop inside the same job, so a crash before it finishes simply cuts them on the re-run.
 */
export async function cutMissingClips(
  deps: ResultDeps,
  target: AnalysisTarget,
  videoPath: string,
  info: VideoInfo,
  signal: AbortSignal,
): Promise<void> {
  const pending = await listAppearances(deps.db, target.searchId, {
    searchVideoId: target.searchVideoId,
    withoutClip: true,
  });
  for (const appearance of pending) {
    signal.throwIfAborted();
    const out = deps.storage.scratchPath('.mp4');
    await deps.media.cutClip(
      videoPath,
      { startMs: appearance.start_ms, endMs: appearance.end_ms, padMs: CLIP_PAD_MS },
      out,
      { signal, info },
    );
    const key = `${searchFolder(target)}/clips/${appearance.id}.mp4`;
    await deps.storage.putFile(key, out);
    await setAppearanceClip(deps.db, appearance.id, key);
    await publishAppearance(deps, target.searchId, appearance.id);
  }
}
