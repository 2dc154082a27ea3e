import { useQueryClient } from '@tanstack/react-query';
import {
  isActiveStatus,
  useSearchEvents,
  type Appearance,
  type SearchEvent,
} from '../../../lib/search-events';
import { useAppearances } from '../api/get-appearances';
import type { LiveFeedStatus } from '../api/get-live-status';
import { useSearch } from '../api/get-search';
import type { SearchDetail } from '../api/types';
import { searchKeys } from '../api/search-keys';

function upsert(items: Appearance[], appearance: Appearance): Appearance[] {
  const index = items.findIndex((item) => item.id === appearance.id);
  if (index === -1) return [...items, appearance];
  const copy = [...items];
  copy[index] = appearance;
  return copy;
}

/**
 * The search and its matches, kept current by WebSocket events written straight into the query
 * cache; while the socket is down, the queries poll instead.
 */
export function useLiveSearch(searchId: string) {
  const queryClient = useQueryClient();

  const onEvent = (event: SearchEvent) => {
    const detailKey = searchKeys.detail(searchId);
    switch (event.type) {
      case 'snapshot':
        queryClient.setQueryData<SearchDetail>(detailKey, (old) =>
          old ? { ...old, status: event.status, videos: event.videos } : old,
        );
        queryClient.setQueryData(searchKeys.appearances(searchId), { items: event.appearances });
        break;
      case 'search.status':
        queryClient.setQueryData<SearchDetail>(
          detailKey,
          (old) => old && { ...old, status: event.status },
        );
        if (!isActiveStatus(event.status))
          void queryClient.invalidateQueries({ queryKey: detailKey });
        break;
      case 'search.progress': {
        const {
          videoId,
          status,
          processedMs,
          durationMs,
          progress,
          framesAnalysed,
          fps,
          remainingMs,
        } = event;
        const update = {
          status,
          processedMs,
          durationMs,
          progress,
          framesAnalysed,
          fps,
          remainingMs,
        };
        queryClient.setQueryData<SearchDetail>(
          detailKey,
          (old) =>
            old && {
              ...old,
              videos: old.videos.map((video) =>
                video.videoId === videoId ? { ...video, ...update } : video,
              ),
            },
        );
        break;
      }
      case 'search.detection':
        queryClient.setQueryData<{ items: Appearance[] }>(
          searchKeys.appearances(searchId),
          (old) => ({
            items: upsert(old?.items ?? [], event.appearance),
          }),
        );
        break;
      case 'search.live': {
        const { videoId, state, lagMs, droppedFrames, reconnects, error, retryInMs } = event;
        const nextRetryAt = retryInMs === null ? null : Date.now() + retryInMs;
        queryClient.setQueryData<{ items: LiveFeedStatus[] }>(
          searchKeys.live(searchId),
          (old) =>
            old && {
              items: old.items.map((feed) =>
                feed.videoId === videoId
                  ? { ...feed, state, lagMs, droppedFrames, reconnects, error, nextRetryAt }
                  : feed,
              ),
            },
        );
        break;
      }
      case 'error':
        break;
    }
  };

  const connected = useSearchEvents([searchId], onEvent);
  const search = useSearch(searchId, !connected);
  const active = search.data ? isActiveStatus(search.data.status) : false;
  const appearances = useAppearances(searchId, !connected && active);
  return { search, appearances, connected };
}
