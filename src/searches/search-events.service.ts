import type { Db } from '../db/database.js';
import { type EventBus, searchChannel } from '../events/event.types.js';
import type { SearchEvent } from '../contracts/search-events.contract.js';
import { toSearchVideo } from './search.mapper.js';
import { listSearchVideos } from './search.repository.js';
import type { SearchRow, SearchStatus } from '../db/tables/search.table.js';

/** Events go out on the bus; progress reads the search's videos first. */
export interface SearchEventDeps {
  db: Db;
  events: EventBus;
}

/** Publishes on the search's own channel, which the WebSocket of its owner subscribes to. */
export async function publishSearchEvent(deps: SearchEventDeps, event: SearchEvent): Promise<void> {
  await deps.events.publish(searchChannel(event.searchId), event);
}

export async function publishSearchStatus(
  deps: SearchEventDeps,
  searchId: string,
  status: SearchStatus,
): Promise<void> {
  await publishSearchEvent(deps, { type: 'search.status', searchId, status });
}

/** Publishes one video's progress as its owner's pages show it (percentage, speed, time left). */
export async function publishProgress(
  deps: SearchEventDeps,
  search: SearchRow,
  searchVideoId: string,
): Promise<void> {
  const row = (await listSearchVideos(deps.db, [search.id])).find((r) => r.id === searchVideoId);
  if (!row) return;
  const video = toSearchVideo(row, search.sampled_fps);
  await publishSearchEvent(deps, {
    type: 'search.progress',
    searchId: search.id,
    videoId: video.videoId,
    status: video.status,
    processedMs: video.processedMs,
    durationMs: video.durationMs,
    progress: video.progress,
    framesAnalysed: video.framesAnalysed,
    fps: video.fps,
    remainingMs: video.remainingMs,
  });
}
