import type { AppDeps } from '../deps.js';
import { searchChannel, type AppEvent } from '../events/event.types.js';
import type { SearchStatus } from './search.table.js';

/** Publishes on the search's own channel, which the WebSocket of its owner subscribes to. */
export async function publishSearchEvent(deps: AppDeps, event: AppEvent): Promise<void> {
  await deps.events.publish(searchChannel(event.searchId), event);
}

export async function publishSearchStatus(
  deps: AppDeps,
  searchId: string,
  status: SearchStatus,
): Promise<void> {
  await publishSearchEvent(deps, { type: 'search.status', searchId, status });
}
