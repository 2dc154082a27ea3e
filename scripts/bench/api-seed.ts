import type { Insertable } from 'kysely';
import type { Db } from '../../src/db/database.js';
import type {
  AppearancesTable,
  DetectionsTable,
  SearchVideosTable,
} from '../../src/db/tables/search.table.js';
import type { VideosTable } from '../../src/db/tables/video.table.js';
import { newId } from '../../src/shared/clock.js';
import { client, type LoggedInUser } from '../../test/support/client.js';
import { createCase, signUp } from '../../test/support/factories.js';

/** What the load runs read: a signed-in user, their cases, and a search with its detections. */
export interface SeededData {
  user: LoggedInUser;
  caseIds: string[];
  searchId: string;
  detections: number;
}

export interface SeedSize {
  cases: number;
  videos: number;
  appearancesPerVideo: number;
  detectionsPerAppearance: number;
}

const VIDEO_MS = 600_000;

function footage(ownerId: string, index: number, at: string): Insertable<VideosTable> {
  return {
    id: newId(),
    owner_id: ownerId,
    title: `Camera ${index + 1}`,
    kind: 'upload',
    original_name: `camera-${index + 1}.mp4`,
    mime_type: 'video/mp4',
    duration_ms: VIDEO_MS,
    fps: 25,
    width: 1280,
    height: 720,
    status: 'ready',
    playback_status: 'none',
    created_at: at,
    updated_at: at,
  };
}

/** One analysed video of the search: its appearances, each a run of detections. */
function analysedVideo(
  searchId: string,
  videoId: string,
  size: SeedSize,
  at: string,
): {
  searchVideo: Insertable<SearchVideosTable>;
  appearances: Insertable<AppearancesTable>[];
  detections: Insertable<DetectionsTable>[];
} {
  const searchVideo = {
    id: newId(),
    search_id: searchId,
    video_id: videoId,
    status: 'completed' as const,
    processed_ms: VIDEO_MS,
    duration_ms: VIDEO_MS,
    created_at: at,
    updated_at: at,
  };
  const appearances: Insertable<AppearancesTable>[] = [];
  const detections: Insertable<DetectionsTable>[] = [];
  const spacing = VIDEO_MS / size.appearancesPerVideo;
  for (let a = 0; a < size.appearancesPerVideo; a += 1) {
    const appearanceId = newId();
    const startMs = a * spacing;
    for (let d = 0; d < size.detectionsPerAppearance; d += 1) {
      detections.push({
        id: newId(),
        search_id: searchId,
        search_video_id: searchVideo.id,
        video_id: videoId,
        appearance_id: appearanceId,
        time_ms: startMs + d * 500,
        confidence: 0.6 + ((a * 7 + d * 3) % 40) / 100,
        box_x: 100 + d * 4,
        box_y: 80,
        box_width: 96,
        box_height: 96,
        created_at: at,
      });
    }
    appearances.push({
      id: appearanceId,
      search_id: searchId,
      search_video_id: searchVideo.id,
      video_id: videoId,
      track_key: `track-${a}`,
      start_ms: startMs,
      end_ms: startMs + (size.detectionsPerAppearance - 1) * 500,
      best_score: 0.95,
      detection_count: size.detectionsPerAppearance,
      created_at: at,
      updated_at: at,
    });
  }
  return { searchVideo, appearances, detections };
}

/**
 * A user and their cases through the API (so every rule of the service applies); a completed
 * search with its footage, appearances and detections written straight into the database, as
 * running a real search for hundreds of detections would take minutes of face analysis.
 */
export async function seedBenchData(baseUrl: string, db: Db, size: SeedSize): Promise<SeededData> {
  const user = await signUp(baseUrl);
  const caseIds: string[] = [];
  for (let index = 0; index < size.cases; index += 1) {
    caseIds.push(await createCase(baseUrl, user));
  }
  const at = new Date().toISOString();
  const searchId = newId();
  const videos = Array.from({ length: size.videos }, (_, index) =>
    footage(user.user.id, index, at),
  );
  const analysed = videos.map((video) => analysedVideo(searchId, String(video.id), size, at));
  const detections = analysed.flatMap((video) => video.detections);
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('videos').values(videos).execute();
    await trx
      .insertInto('searches')
      .values({
        id: searchId,
        owner_id: user.user.id,
        missing_person_id: caseIds[0] ?? '',
        status: 'completed',
        preset: 'balanced',
        sampled_fps: 2,
        threshold: 0.5,
        started_at: at,
        finished_at: at,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await trx
      .insertInto('search_videos')
      .values(analysed.map((video) => video.searchVideo))
      .execute();
    await trx
      .insertInto('appearances')
      .values(analysed.flatMap((video) => video.appearances))
      .execute();
    // In slices: SQLite takes at most 32,766 bound values in one statement.
    for (let start = 0; start < detections.length; start += 500) {
      await trx
        .insertInto('detections')
        .values(detections.slice(start, start + 500))
        .execute();
    }
  });
  const check = await client(baseUrl, user).request('GET', `/api/searches/${searchId}/detections`);
  if (check.status !== 200) throw new Error(`the seeded search answers ${check.status}`);
  return { user, caseIds, searchId, detections: detections.length };
}
