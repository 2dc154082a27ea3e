import { Text, Tooltip, UnstyledButton } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { formatScore, formatVideoTime, scoreColor } from '../../../lib/format';
import type { Appearance } from '../../../lib/search-events';
import { assignLanes, timeTicks } from '../lib/timeline-scale';
import classes from './results-timeline.module.css';

export interface TimelineVideo {
  videoId: string;
  title: string;
  durationMs: number | null;
}

interface ResultsTimelineProps {
  videos: TimelineVideo[];
  /** The matches to draw (already filtered by confidence). */
  appearances: Appearance[];
  /** A bar was clicked: play its video from the match. */
  onPlay: (appearance: Appearance) => void;
}

const LANE_PX = 26;
const MIN_BAR_PX = 6;
/** Room for "1:02:03 · 100%" in small bold type. */
const LABEL_PX = 92;

const barLabel = (appearance: Appearance) =>
  `${formatVideoTime(appearance.startMs)} · ${formatScore(appearance.bestScore)}`;

function VideoRow({
  video,
  appearances,
  endMs,
  widthPx,
  ticks,
  onPlay,
}: {
  video: TimelineVideo;
  appearances: Appearance[];
  endMs: number;
  widthPx: number;
  ticks: number[];
  onPlay: (appearance: Appearance) => void;
}) {
  const px = (ms: number) => (ms / endMs) * widthPx;
  const sorted = [...appearances].sort((a, b) => a.startMs - b.startMs);
  const bars = sorted.map((appearance) => {
    const startPx = Math.min(px(appearance.startMs), Math.max(0, widthPx - MIN_BAR_PX));
    const barPx = Math.max(MIN_BAR_PX, px(appearance.endMs - appearance.startMs));
    return { appearance, startPx, barPx, endPx: startPx + barPx + 4 + LABEL_PX };
  });
  const lanes = assignLanes(bars);
  const height = Math.max(1, ...lanes.map((lane) => lane + 1)) * LANE_PX + 4;
  const footagePx = video.durationMs ? px(video.durationMs) : widthPx;
  return (
    <>
      <Text size="sm" fw={600} className={classes.title} id={`timeline-${video.videoId}`}>
        {video.title}
        <Text span size="xs" c="gray.7" display="block" fw={400}>
          {appearances.length === 0
            ? 'no match at this confidence'
            : `${appearances.length} match${appearances.length === 1 ? '' : 'es'}`}
        </Text>
      </Text>
      <div
        className={classes.track}
        style={{ height }}
        role="group"
        aria-labelledby={`timeline-${video.videoId}`}
        data-testid="timeline-row"
      >
        <div className={classes.footage} style={{ width: footagePx }} />
        {ticks.map((t) => (
          <div key={t} className={classes.grid} style={{ left: px(t) }} />
        ))}
        {bars.map(({ appearance, startPx, barPx }, index) => {
          // A label that would run past the right edge goes before its bar instead.
          const flip = startPx + barPx + 4 + LABEL_PX > widthPx && startPx > LABEL_PX;
          return (
            <Tooltip
              key={appearance.id}
              label={`${formatVideoTime(appearance.startMs)}–${formatVideoTime(appearance.endMs)} · score ${formatScore(appearance.bestScore)} · click to play`}
            >
              <UnstyledButton
                className={classes.match}
                data-testid="timeline-bar"
                aria-label={`Play ${video.title} from ${formatVideoTime(appearance.startMs)}: match until ${formatVideoTime(appearance.endMs)}, score ${formatScore(appearance.bestScore)}`}
                onClick={() => onPlay(appearance)}
                style={{
                  top: 2 + (lanes[index] ?? 0) * LANE_PX,
                  left: flip ? undefined : startPx,
                  right: flip ? widthPx - startPx - barPx : undefined,
                  flexDirection: flip ? 'row-reverse' : 'row',
                }}
              >
                <span
                  className={classes.bar}
                  style={{
                    width: barPx,
                    background: `var(--mantine-color-${scoreColor(appearance.bestScore)}-7)`,
                  }}
                />
                <span className={classes.label}>{barLabel(appearance)}</span>
              </UnstyledButton>
            </Tooltip>
          );
        })}
      </div>
    </>
  );
}

/**
 * Every video of the search on one time axis (same scale, one row each, the footage's length
 * shaded): each match is a bar labelled with its time and score; clicking it plays the video
 * from there.
 */
export function ResultsTimeline({ videos, appearances, onPlay }: ResultsTimelineProps) {
  const { ref, width } = useElementSize();
  const widthPx = width > 0 ? width : 600;
  const endMs = Math.max(
    1_000,
    ...videos.map((v) => v.durationMs ?? 0),
    ...appearances.map((a) => a.endMs),
  );
  const ticks = timeTicks(endMs, widthPx);
  return (
    <div className={classes.timeline} data-testid="results-timeline">
      <span className={classes.corner} />
      <div className={classes.axis} ref={ref} aria-hidden data-testid="timeline-axis">
        {ticks.map((t, index) => (
          <span
            key={t}
            className={classes.tick}
            data-first={index === 0 || undefined}
            style={{ left: Math.min((t / endMs) * widthPx, widthPx - 20) }}
          >
            {formatVideoTime(t)}
          </span>
        ))}
      </div>
      {videos.map((video) => (
        <VideoRow
          key={video.videoId}
          video={video}
          appearances={appearances.filter((a) => a.videoId === video.videoId)}
          endMs={endMs}
          widthPx={widthPx}
          ticks={ticks}
          onPlay={onPlay}
        />
      ))}
    </div>
  );
}
