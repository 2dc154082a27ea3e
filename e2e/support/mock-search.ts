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

/** A match in `videoId` at 2–5 s, as the API and the WebSocket send it. */
export function mockAppearance(videoId: string): AppearanceDto {
  const id = '00000000-0000-4000-8000-00000000a99e';
  const detection = '00000000-0000-4000-8000-00000000d37e';
  return {
    id,
    videoId,
    startMs: 2_000,
    endMs: 5_000,
    bestScore: 0.9,
    detectionCount: 12,
    box: { x: 60, y: 70, width: 120, height: 160 },
    bestTimeMs: 3_000,
    bestDetectionId: detection,
    frameUrl: `/api/searches/${MOCK_SEARCH_ID}/detections/${detection}/frame`,
    faceUrl: `/api/searches/${MOCK_SEARCH_ID}/detections/${detection}/face`,
    clipUrl: null,
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
