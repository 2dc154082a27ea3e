import { findCaseRole } from '../cases/case-access.repository.js';
import { checkCaseRole } from '../cases/case-access.service.js';
import type { Executor } from '../db/database.js';
import { notFound } from '../shared/app-error.js';
import { detectionFaceUrl, detectionFrameUrl, toAppearance, toDetection } from './search.mapper.js';
import { listSearchVideos } from './search.repository.js';
import type {
  DetectionDto,
  DetectionsQuery,
  DetectionsSummary,
  SearchSummary,
} from './search.schema.js';
import type { AppearanceDto, SightingDto } from '../contracts/search.contract.js';
import { requireSearch } from './search.service.js';
import {
  findAppearance,
  listAppearances,
  listCaseSightings,
  listDetections,
  type AppearanceFilter,
} from './result.repository.js';

/** Confidence bands of the detections summary. */
export const HIGH_CONFIDENCE = 0.8;
export const MEDIUM_CONFIDENCE = 0.6;
/** Histogram buckets: about 30 per video, never finer than one second. */
const HISTOGRAM_BUCKETS = 30;

interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export async function getAppearances(
  db: Executor,
  userId: string,
  searchId: string,
  filter: Pick<AppearanceFilter, 'videoId' | 'minScore'>,
): Promise<AppearanceDto[]> {
  await requireSearch(db, userId, searchId, 'read');
  const rows = await listAppearances(db, searchId, filter);
  return rows.map(toAppearance);
}

/** Where a case's person was seen best, over every search of the case (NOT_FOUND to non-members). */
export async function getCaseSightings(
  db: Executor,
  userId: string,
  missingPersonId: string,
  limit: number,
): Promise<SightingDto[]> {
  checkCaseRole(await findCaseRole(db, userId, missingPersonId), 'read');
  const rows = await listCaseSightings(db, missingPersonId, limit);
  return rows.map((row) => ({
    ...toAppearance(row),
    searchId: row.search_id,
    videoTitle: row.video_title,
  }));
}

export async function getAppearance(
  db: Executor,
  userId: string,
  searchId: string,
  appearanceId: string,
): Promise<AppearanceDto & { detections: DetectionDto[] }> {
  await requireSearch(db, userId, searchId, 'read');
  const row = await findAppearance(db, searchId, appearanceId);
  if (!row) throw notFound('Appearance');
  const { rows } = await listDetections(db, searchId, { appearanceId, sort: 'time' });
  return { ...toAppearance(row), detections: rows.map(toDetection) };
}

export async function getDetections(
  db: Executor,
  userId: string,
  searchId: string,
  query: DetectionsQuery,
): Promise<Page<DetectionDto>> {
  await requireSearch(db, userId, searchId, 'read');
  const { rows, total } = await listDetections(db, searchId, {
    ...query,
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  return { items: rows.map(toDetection), page: query.page, pageSize: query.pageSize, total };
}

export async function getDetectionFrames(
  db: Executor,
  userId: string,
  searchId: string,
  page: number,
  pageSize: number,
) {
  await requireSearch(db, userId, searchId, 'read');
  const { rows, total } = await listDetections(db, searchId, {
    sort: 'time',
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  const items = rows.map((row) => ({
    detectionId: row.id,
    appearanceId: row.appearance_id,
    videoId: row.video_id,
    timeMs: row.time_ms,
    confidence: row.confidence,
    frameUrl: detectionFrameUrl(searchId, row.id),
    faceUrl: detectionFaceUrl(searchId, row.id),
  }));
  return { items, page, pageSize, total };
}

/** Where and when the person was seen: per video, and first, last and best over the search. */
export async function getSummary(
  db: Executor,
  userId: string,
  searchId: string,
): Promise<SearchSummary> {
  const search = await requireSearch(db, userId, searchId, 'read');
  const [videos, rows] = await Promise.all([
    listSearchVideos(db, [searchId]),
    listAppearances(db, searchId),
  ]);
  const appearances = rows.map(toAppearance);
  const perVideo = videos.map((video) => {
    const own = appearances.filter((appearance) => appearance.videoId === video.video_id);
    return {
      videoId: video.video_id,
      title: video.title,
      status: video.status,
      appearanceCount: own.length,
      firstSeenMs: own.length > 0 ? Math.min(...own.map((a) => a.startMs)) : null,
      lastSeenMs: own.length > 0 ? Math.max(...own.map((a) => a.endMs)) : null,
      bestScore: own.length > 0 ? Math.max(...own.map((a) => a.bestScore)) : null,
      appearances: own,
    };
  });
  // Videos have no common clock, so "first" and "last" follow the order the videos were searched in.
  const seen = perVideo.filter((video) => video.appearanceCount > 0);
  const first = seen[0];
  const last = seen[seen.length - 1];
  const bestMatch = appearances.reduce<AppearanceDto | null>(
    (best, candidate) => (!best || candidate.bestScore > best.bestScore ? candidate : best),
    null,
  );
  return {
    status: search.status,
    found: appearances.length > 0,
    appearanceCount: appearances.length,
    firstSeen: first ? { videoId: first.videoId, timeMs: first.firstSeenMs ?? 0 } : null,
    lastSeen: last ? { videoId: last.videoId, timeMs: last.lastSeenMs ?? 0 } : null,
    bestMatch,
    videos: perVideo,
  };
}

/** Counts per video and confidence band, and a histogram of detections over each video's time. */
export async function getDetectionsSummary(
  db: Executor,
  userId: string,
  searchId: string,
): Promise<DetectionsSummary> {
  await requireSearch(db, userId, searchId, 'read');
  const [videos, { rows }] = await Promise.all([
    listSearchVideos(db, [searchId]),
    listDetections(db, searchId, { sort: 'time' }),
  ]);
  const perVideo = videos.map((video) => {
    const own = rows.filter((row) => row.video_id === video.video_id);
    return {
      videoId: video.video_id,
      count: own.length,
      bands: {
        high: own.filter((row) => row.confidence >= HIGH_CONFIDENCE).length,
        medium: own.filter(
          (row) => row.confidence >= MEDIUM_CONFIDENCE && row.confidence < HIGH_CONFIDENCE,
        ).length,
        low: own.filter((row) => row.confidence < MEDIUM_CONFIDENCE).length,
      },
    };
  });
  const histogram = videos.flatMap((video) => {
    const own = rows.filter((row) => row.video_id === video.video_id);
    const lastTime = Math.max(0, ...own.map((row) => row.time_ms));
    const durationMs = video.duration_ms ?? video.video_duration_ms ?? lastTime;
    const bucketMs = Math.max(1000, Math.ceil(durationMs / HISTOGRAM_BUCKETS / 1000) * 1000);
    const buckets = new Map<number, number>();
    for (const row of own) {
      const start = Math.floor(row.time_ms / bucketMs) * bucketMs;
      buckets.set(start, (buckets.get(start) ?? 0) + 1);
    }
    return [...buckets.entries()]
      .sort(([a], [b]) => a - b)
      .map(([bucketStartMs, count]) => ({
        videoId: video.video_id,
        bucketStartMs,
        bucketMs,
        count,
      }));
  });
  return { total: rows.length, perVideo, histogram };
}
