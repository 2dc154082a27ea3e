import type { Page } from '@playwright/test';
import type { SocketMessage as SearchEvent } from '../../src/contracts/search-events.contract.js';
import type { SearchDetail } from '../../src/searches/search.schema.js';
import type { AppearanceDto, SearchVideo } from '../../src/contracts/search.contract.js';

export const MOCK_SEARCH_ID = '00000000-0000-4000-8000-00000000a11c';

/** A search video as the API sends it, with the fields a test cares about. */
export function mockVideo(
  videoId: string,
  title: string,
  fields: Partial<SearchVideo> & Pick<SearchVideo, 'status' | 'durationMs' | 'processedMs'>,
): SearchVideo {
  const progress =
    fields.durationMs && fields.durationMs > 0 ? (fields.processedMs / fields.durationMs) * 100 : 0;
  return {
    videoId,
    title,
    kind: 'upload',
    progress: Math.round(progress * 10) / 10,
    framesAnalysed: 0,
    fps: null,
    remainingMs: null,
    error: null,
    streamUrl: `/api/videos/${videoId}/stream`,
    posterUrl: null,
    width: 640,
    height: 360,
    ...fields,
  };
}

/** A match in `videoId` (by default at 2–5 s, score 0.9), as the API and the WebSocket send it. */
export function mockAppearance(
  videoId: string,
  fields: Partial<Pick<AppearanceDto, 'id' | 'startMs' | 'endMs' | 'bestScore'>> = {},
): AppearanceDto {
  const id = fields.id ?? '00000000-0000-4000-8000-00000000a99e';
  const detection = '00000000-0000-4000-8000-00000000d37e';
  return {
    id,
    videoId,
    startMs: fields.startMs ?? 2_000,
    endMs: fields.endMs ?? 5_000,
    bestScore: fields.bestScore ?? 0.9,
    detectionCount: 12,
    box: { x: 60, y: 70, width: 120, height: 160 },
    bestTimeMs: (fields.startMs ?? 2_000) + 1_000,
    bestDetectionId: detection,
    frameUrl: `/api/searches/${MOCK_SEARCH_ID}/detections/${detection}/frame`,
    faceUrl: `/api/searches/${MOCK_SEARCH_ID}/detections/${detection}/face`,
    clipUrl: null,
  };
}

/** The results summary the server would give for `search` with `appearances`. */
function summaryOf(search: SearchDetail, appearances: AppearanceDto[]) {
  const videos = search.videos.map((video) => {
    const own = appearances.filter((a) => a.videoId === video.videoId);
    return {
      videoId: video.videoId,
      title: video.title,
      status: video.status,
      appearanceCount: own.length,
      firstSeenMs: own.length > 0 ? Math.min(...own.map((a) => a.startMs)) : null,
      lastSeenMs: own.length > 0 ? Math.max(...own.map((a) => a.endMs)) : null,
      bestScore: own.length > 0 ? Math.max(...own.map((a) => a.bestScore)) : null,
      appearances: own,
    };
  });
  const seen = videos.filter((v) => v.appearanceCount > 0);
  const first = seen[0];
  const last = seen.at(-1);
  return {
    status: search.status,
    found: appearances.length > 0,
    appearanceCount: appearances.length,
    firstSeen: first ? { videoId: first.videoId, timeMs: first.firstSeenMs } : null,
    lastSeen: last ? { videoId: last.videoId, timeMs: last.lastSeenMs } : null,
    bestMatch: [...appearances].sort((a, b) => b.bestScore - a.bestScore)[0] ?? null,
    videos,
  };
}

/**
 * Serves a search that does not exist on the server (its detail, matches, live state and its
 * WebSocket), so states that take minutes to reach for real (an hour of footage half done, a feed
 * offline for a while) are shown at once. `send` pushes a WebSocket event; `change` alters what
 * the API answers from then on.
 */
export async function mockSearch(
  page: Page,
  detail: Pick<SearchDetail, 'status' | 'videos'> & Partial<SearchDetail>,
  live: object[] = [],
  appearances: AppearanceDto[] = [],
): Promise<{
  send: (event: SearchEvent) => void;
  change: (fields: Partial<SearchDetail>) => void;
}> {
  const search: SearchDetail = {
    id: MOCK_SEARCH_ID,
    role: 'owner',
    preset: 'balanced',
    threshold: 0.6,
    priority: 'normal',
    missingPerson: {
      id: '00000000-0000-4000-8000-0000000000c5',
      firstName: 'Mock',
      lastName: 'Person',
    },
    videoCount: detail.videos.length,
    matchCount: 0,
    progress: 0,
    createdAt: '2026-05-01T09:30:00.000Z',
    startedAt: '2026-05-01T09:30:02.000Z',
    finishedAt: null,
    sampledFps: 5,
    ...detail,
  };
  await page.route(`**/api/searches/${MOCK_SEARCH_ID}`, (route) => route.fulfill({ json: search }));
  await page.route(`**/api/searches/${MOCK_SEARCH_ID}/appearances*`, (route) =>
    route.fulfill({ json: { items: appearances } }),
  );
  await page.route(`**/api/searches/${MOCK_SEARCH_ID}/summary`, (route) =>
    route.fulfill({ json: summaryOf(search, appearances) }),
  );
  await page.route(`**/api/searches/${MOCK_SEARCH_ID}/live`, (route) =>
    route.fulfill({ json: { items: live } }),
  );
  const sockets: { send(message: string): void }[] = [];
  await page.routeWebSocket('**/api/ws', (socket) => {
    sockets.push(socket);
    socket.onMessage(() => undefined);
  });
  return {
    send: (event) => {
      for (const socket of sockets) socket.send(JSON.stringify(event));
    },
    change: (fields) => {
      Object.assign(search, fields);
    },
  };
}
