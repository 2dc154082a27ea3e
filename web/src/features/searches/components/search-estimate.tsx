import { Text } from '@mantine/core';
import { formatDuration, plural } from '../../../lib/format';
import type { Preset } from '../../../lib/search-events';
import { estimateAnalysisMs } from '../lib/search-estimate';

interface SearchEstimateProps {
  /** The chosen videos and live feeds. */
  videos: { kind: 'upload' | 'live'; durationMs: number | null }[];
  /** Chosen videos not in that list (just uploaded, not listed yet). */
  unlisted: number;
  preset: Preset;
}

const presetName: Record<Preset, string> = {
  fast: 'Fast',
  balanced: 'Balanced',
  thorough: 'Thorough',
};

/** A rough time before Search is pressed: footage length over the preset's measured speed. */
export function SearchEstimate({ videos, unlisted, preset }: SearchEstimateProps) {
  const recorded = videos.filter((v) => v.kind === 'upload');
  const footageMs = recorded.reduce((total, v) => total + (v.durationMs ?? 0), 0);
  const unknownCount = unlisted + recorded.filter((v) => !v.durationMs).length;
  const liveCount = videos.length - recorded.length;
  if (footageMs <= 0 && unknownCount === 0 && liveCount === 0) return null;
  const [shortest, longest] = estimateAnalysisMs(footageMs, preset);
  const range =
    formatDuration(shortest) === formatDuration(longest)
      ? `about ${formatDuration(longest)}`
      : `${formatDuration(shortest)} to ${formatDuration(longest)}`;
  return (
    <Text size="sm" data-testid="search-estimate">
      {footageMs > 0 && (
        <>
          <b>Rough estimate:</b> {range} to analyse {formatDuration(footageMs)} of footage at the{' '}
          {presetName[preset]} speed, if the server is not busy with other searches.
        </>
      )}
      {unknownCount > 0 &&
        ` ${plural(unknownCount, 'video is', 'videos are')} still being prepared and not counted.`}
      {liveCount > 0 &&
        ` ${plural(liveCount, 'live camera is', 'live cameras are')} watched until you stop the search.`}
    </Text>
  );
}
