import type { CaseRole } from '../db/tables/case-member.table.js';
import type { DetectionRow } from '../db/tables/search.table.js';
import type { AppearanceWithBest } from './result.repository.js';
import type { SearchVideoWithMedia, SearchWithPerson } from './search.repository.js';
import type { DetectionDto } from './search.schema.js';
import type { AppearanceDto, SearchListItem, SearchVideo } from '../contracts/search.contract.js';
import { priorityName } from './search.state.js';

const round1 = (value: number): number => Math.round(value * 10) / 10;

export const detectionFrameUrl = (searchId: string, detectionId: string): string =>
  `/api/searches/${searchId}/detections/${detectionId}/frame`;
export const detectionFaceUrl = (searchId: string, detectionId: string): string =>
  `/api/searches/${searchId}/detections/${detectionId}/face`;
export const appearanceClipUrl = (searchId: string, appearanceId: string): string =>
  `/api/searches/${searchId}/appearances/${appearanceId}/clip`;

function durationOf(row: SearchVideoWithMedia): number | null {
  return row.duration_ms ?? row.video_duration_ms;
}

/** Percent of a video analysed; a finished video is 100 whatever its last checkpoint said. */
export function videoProgress(row: SearchVideoWithMedia): number {
  if (row.status === 'completed') return 100;
  const duration = durationOf(row);
  if (!duration || duration <= 0) return 0;
  return round1(Math.min(100, (row.processed_ms / duration) * 100));
}

/** Wall time left, from the measured speed: analysed frames per second over sampled fps. */
function remainingMs(row: SearchVideoWithMedia, sampledFps: number): number | null {
  const duration = durationOf(row);
  if (row.status !== 'running' || !duration || !row.fps_measured || row.fps_measured <= 0) {
    return null;
  }
  const videoMsPerWallMs = row.fps_measured / sampledFps;
  return Math.max(0, Math.round((duration - row.processed_ms) / videoMsPerWallMs));
}

export function toSearchVideo(row: SearchVideoWithMedia, sampledFps: number): SearchVideo {
  return {
    videoId: row.video_id,
    title: row.title,
    kind: row.kind,
    status: row.status,
    processedMs: row.processed_ms,
    durationMs: durationOf(row),
    progress: videoProgress(row),
    framesAnalysed: row.frames_analysed,
    fps: row.fps_measured === null ? null : round1(row.fps_measured),
    remainingMs: remainingMs(row, sampledFps),
    error:
      row.error_code === null
        ? null
        : { code: row.error_code, message: row.error_message ?? row.error_code },
    streamUrl: `/api/videos/${row.video_id}/stream`,
    posterUrl: row.poster_key ? `/api/videos/${row.video_id}/poster` : null,
    width: row.width,
    height: row.height,
  };
}

/** Overall progress weighted by footage length, so a long video counts for more than a short one. */
export function searchProgress(videos: SearchVideoWithMedia[]): number {
  if (videos.length === 0) return 0;
  const durations = videos.map((video) => durationOf(video) ?? 0);
  const total = durations.reduce((sum, duration) => sum + duration, 0);
  if (total <= 0) {
    return round1(videos.reduce((sum, video) => sum + videoProgress(video), 0) / videos.length);
  }
  const done = videos.reduce(
    (sum, video, index) => sum + (videoProgress(video) / 100) * (durations[index] ?? 0),
    0,
  );
  return round1((done / total) * 100);
}

export function toListItem(
  search: SearchWithPerson,
  videos: SearchVideoWithMedia[],
  matchCount: number,
  role: CaseRole,
): SearchListItem {
  return {
    id: search.id,
    role,
    status: search.status,
    preset: search.preset,
    threshold: search.threshold,
    priority: priorityName(search.priority),
    missingPerson: {
      id: search.missing_person_id,
      firstName: search.first_name,
      lastName: search.last_name,
    },
    videoCount: videos.length,
    matchCount,
    progress: search.status === 'completed' ? 100 : searchProgress(videos),
    createdAt: search.created_at,
    startedAt: search.started_at,
    finishedAt: search.finished_at,
  };
}

export function toAppearance(row: AppearanceWithBest): AppearanceDto {
  const best = row.best_detection_id ?? row.id;
  return {
    id: row.id,
    videoId: row.video_id,
    startMs: row.start_ms,
    endMs: row.end_ms,
    bestScore: row.best_score,
    detectionCount: row.detection_count,
    box: {
      x: row.box_x ?? 0,
      y: row.box_y ?? 0,
      width: row.box_width ?? 0,
      height: row.box_height ?? 0,
    },
    bestTimeMs: row.best_time_ms ?? row.start_ms,
    bestDetectionId: row.best_detection_id,
    frameUrl: detectionFrameUrl(row.search_id, best),
    faceUrl: detectionFaceUrl(row.search_id, best),
    clipUrl: row.clip_key ? appearanceClipUrl(row.search_id, row.id) : null,
  };
}

export function toDetection(row: DetectionRow): DetectionDto {
  return {
    id: row.id,
    videoId: row.video_id,
    timeMs: row.time_ms,
    confidence: row.confidence,
    box: { x: row.box_x, y: row.box_y, width: row.box_width, height: row.box_height },
    appearanceId: row.appearance_id,
    frameUrl: detectionFrameUrl(row.search_id, row.id),
    faceUrl: detectionFaceUrl(row.search_id, row.id),
  };
}
