import { useEffect, useRef, useState } from 'react';
import type { Appearance, SearchVideo } from '../../../lib/search-events';

const recorded = (videos: SearchVideo[]) => videos.filter((video) => video.kind !== 'live');

/** Footage analysed so far, in ms; a finished video counts whole whatever its last checkpoint. */
function analysedMs(video: SearchVideo): number {
  const duration = video.durationMs ?? 0;
  return video.status === 'completed' ? duration : Math.min(duration, video.processedMs);
}

/**
 * Percent of the recorded footage analysed, weighted by duration as the server's list does, so a
 * 1-second clip does not count as much as an hour of footage.
 */
export function overallProgress(videos: SearchVideo[]): number {
  const footage = recorded(videos);
  const total = footage.reduce((sum, video) => sum + (video.durationMs ?? 0), 0);
  if (total <= 0) {
    if (footage.length === 0) return 0;
    return footage.reduce((sum, video) => sum + video.progress, 0) / footage.length;
  }
  const done = footage.reduce((sum, video) => sum + analysedMs(video), 0);
  return Math.round((done / total) * 1000) / 10;
}

/** Footage still to analyse, in ms. */
export function footageLeftMs(videos: SearchVideo[]): number {
  return recorded(videos)
    .filter((video) => video.status === 'queued' || video.status === 'running')
    .reduce((sum, video) => sum + Math.max(0, (video.durationMs ?? 0) - analysedMs(video)), 0);
}

/** Samples older than this no longer count: the estimate follows the machine's current speed. */
const WINDOW_MS = 20_000;
/** Below this span of measured progress the estimate is a guess: say "estimating…" instead. */
const MIN_SPAN_MS = 3_000;

interface Sample {
  at: number;
  analysedMs: number;
}

/**
 * Wall time left for the whole search: footage left over the speed measured across all its videos
 * in the last few seconds (so parallel jobs, a busy machine and a slow start are all accounted
 * for). Null while the speed is not yet known.
 */
export function useOverallRemaining(videos: SearchVideo[], active: boolean): number | null {
  const samples = useRef<Sample[]>([]);
  const [speed, setSpeed] = useState<number | null>(null);
  const analysed = recorded(videos).reduce((sum, video) => sum + analysedMs(video), 0);
  const left = footageLeftMs(videos);

  useEffect(() => {
    if (!active) {
      samples.current = [];
      return;
    }
    const now = Date.now();
    const kept = samples.current.filter((sample) => now - sample.at <= WINDOW_MS);
    const last = kept.at(-1);
    if (!last || last.analysedMs !== analysed) kept.push({ at: now, analysedMs: analysed });
    samples.current = kept;
    const first = kept[0];
    const newest = kept.at(-1);
    const span = first && newest ? newest.at - first.at : 0;
    setSpeed(
      first && newest && span >= MIN_SPAN_MS ? (newest.analysedMs - first.analysedMs) / span : null,
    );
  }, [analysed, active]);

  if (!active || left <= 0 || speed === null || speed <= 0) return null;
  return left / speed;
}

/**
 * The video to show large: the one with the newest match (matches arrive in order), else the
 * longest one still to analyse, else the longest (a live feed, with no length, comes last).
 */
export function featuredVideo(
  videos: SearchVideo[],
  appearances: Appearance[],
): SearchVideo | undefined {
  const latest = appearances.at(-1);
  const withMatch = latest && videos.find((video) => video.videoId === latest.videoId);
  if (withMatch) return withMatch;
  const longest = (list: SearchVideo[]) =>
    list.reduce<SearchVideo | undefined>(
      (best, video) => (!best || (video.durationMs ?? -1) > (best.durationMs ?? -1) ? video : best),
      undefined,
    );
  return (
    longest(videos.filter((v) => v.status === 'running')) ??
    longest(videos.filter((v) => v.status === 'queued' || v.status === 'paused')) ??
    longest(videos)
  );
}
