import type { SearchLiveEvent } from '../contracts/search-events.contract.js';
import { publishSearchEvent, type SearchEventDeps } from '../searches/search-events.service.js';
import { nowIso } from '../shared/clock.js';
import { setVideoStatus, updateLiveState } from './live.repository.js';
import type { LiveState } from '../db/tables/live.table.js';

export interface LiveFeedStatus {
  state: LiveState;
  lagMs: number | null;
  droppedFrames: number;
  reconnects: number;
  retryInMs: number | null;
  error: string | null;
}

/**
 * Records the state of a live feed where the page reads it (the search video's live columns, the
 * video's status `offline` while it is down) and tells the search's subscribers.
 */
export async function reportLiveFeed(
  deps: SearchEventDeps,
  ids: { searchId: string; searchVideoId: string; videoId: string },
  status: LiveFeedStatus,
  previous: LiveState | null,
): Promise<void> {
  await updateLiveState(deps.db, ids.searchVideoId, {
    live_state: status.state,
    live_lag_ms: status.lagMs ?? undefined,
    live_dropped_frames: status.droppedFrames,
    live_reconnects: status.reconnects,
    live_error: status.error,
  });
  if (status.state !== previous && status.state !== 'connecting') {
    await setVideoStatus(
      deps.db,
      ids.videoId,
      status.state === 'online' ? 'ready' : 'offline',
      nowIso(),
    );
  }
  const event: SearchLiveEvent = {
    type: 'search.live',
    searchId: ids.searchId,
    videoId: ids.videoId,
    ...status,
  };
  await publishSearchEvent(deps, event);
}
