import { Badge, Group, Progress, Stack, Text } from '@mantine/core';
import { formatVideoTime, plural } from '../../../lib/format';
import {
  isActiveStatus,
  progressColor,
  searchStatusColor,
  type SearchStatus,
  type SearchVideo,
} from '../../../lib/search-events';
import type { LiveFeedStatus } from '../api/get-live-status';

const feedStateColor = { connecting: 'yellow', online: 'green', offline: 'red' } as const;

/** One video's analysis: bar, analysed time, speed and what is left (or, live, the feed's state). */
export function VideoProgress({
  video: reported,
  searchStatus,
  live: feed,
}: {
  video: SearchVideo;
  searchStatus: SearchStatus;
  live?: LiveFeedStatus;
}) {
  const live = reported.kind === 'live';
  // A paused or cancelled search lets the current job reach its checkpoint; to the user its
  // unfinished videos already are what the search is (no RUNNING spinner after a cancel).
  const stopping =
    (searchStatus === 'paused' || searchStatus === 'cancelled') &&
    (reported.status === 'running' || reported.status === 'queued');
  const video: SearchVideo = stopping ? { ...reported, status: searchStatus } : reported;
  return (
    <Stack gap={4} data-testid="video-progress">
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text size="sm" fw={500} truncate>
          {video.title}
        </Text>
        <Group gap={4} wrap="nowrap">
          {feed?.state && isActiveStatus(searchStatus) && (
            <Badge size="sm" variant="dot" color={feedStateColor[feed.state]}>
              {feed.state}
            </Badge>
          )}
          <Badge size="sm" variant="light" color={searchStatusColor[video.status]}>
            {video.status}
          </Badge>
        </Group>
      </Group>
      <Progress
        value={live ? 100 : video.progress}
        striped={live}
        animated={video.status === 'running'}
        color={progressColor[video.status]}
        aria-label={`Analysis of ${video.title}`}
      />
      <Text size="xs" c="dimmed">
        {live
          ? `${formatVideoTime(video.processedMs)} watched`
          : `${Math.round(video.progress)}% · ${formatVideoTime(video.processedMs)} of ${video.durationMs ? formatVideoTime(video.durationMs) : '?'}`}
        {video.fps !== null && video.status === 'running' && ` · ${video.fps.toFixed(1)} frames/s`}
        {` · ${plural(video.framesAnalysed, 'frame')}`}
        {feed?.lagMs !== null &&
          feed?.lagMs !== undefined &&
          ` · ${(feed.lagMs / 1000).toFixed(1)} s behind`}
      </Text>
      {feed?.state === 'offline' && isActiveStatus(searchStatus) && (
        <Text size="xs" c="red.9" role="status" data-testid="feed-offline">
          Offline{feed.error ? `: ${feed.error}` : ''}
          {feed.nextRetryAt
            ? ` · next attempt at ${new Date(feed.nextRetryAt).toLocaleTimeString()}`
            : ' · trying again shortly'}
        </Text>
      )}
      {video.error && (
        <Text size="xs" c="red" role="alert">
          {video.error.message}
        </Text>
      )}
    </Stack>
  );
}
