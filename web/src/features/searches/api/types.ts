import type {
  Appearance,
  Box,
  SearchListItem,
  SearchStatus,
  SearchVideo,
} from '../../../lib/search-events';

export interface SearchDetail extends SearchListItem {
  sampledFps: number;
  videos: SearchVideo[];
}

export interface Detection {
  id: string;
  videoId: string;
  timeMs: number;
  confidence: number;
  box: Box;
  appearanceId: string | null;
  frameUrl: string;
  faceUrl: string;
}

export interface AppearanceDetail extends Appearance {
  detections: Detection[];
}

export interface SearchSummary {
  status: SearchStatus;
  found: boolean;
  appearanceCount: number;
  firstSeen: { videoId: string; timeMs: number } | null;
  lastSeen: { videoId: string; timeMs: number } | null;
  bestMatch: Appearance | null;
  videos: {
    videoId: string;
    title: string;
    status: SearchStatus;
    appearanceCount: number;
    firstSeenMs: number | null;
    lastSeenMs: number | null;
    bestScore: number | null;
    appearances: Appearance[];
  }[];
}
