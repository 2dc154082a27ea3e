import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { searchKeys } from './search-keys';

export interface LiveFeedStatus {
  videoId: string;
  title: string;
  status: string;
  state: 'connecting' | 'online' | 'offline' | null;
  /** How far the analysis is behind real time. */
  lagMs: number | null;
  droppedFrames: number;
  reconnects: number;
  error: string | null;
  /** When the server tries an offline feed again (epoch ms), from the last search.live event. */
  nextRetryAt?: number | null;
  /** HLS relay of the feed; 404 until its first segment exists. */
  hlsUrl: string;
}

export const getLiveStatus = (searchId: string) =>
  api<{ items: LiveFeedStatus[] }>(`/api/searches/${searchId}/live`);

export const liveStatusQueryOptions = (searchId: string) =>
  queryOptions({
    queryKey: searchKeys.live(searchId),
    queryFn: () => getLiveStatus(searchId),
    refetchInterval: 5_000,
  });

/** The live feeds of a search (only asked when it has any). */
export const useLiveStatus = (searchId: string, enabled: boolean) =>
  useQuery({ ...liveStatusQueryOptions(searchId), enabled });
