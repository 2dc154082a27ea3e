import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Paper,
  Progress,
  Stack,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { ConfidenceFilter } from '../../../components/confidence-filter';
import { EmptyState } from '../../../components/feedback/empty-state';
import { ErrorState } from '../../../components/feedback/error-state';
import { PageLoader } from '../../../components/feedback/page-loader';
import { PageHeader } from '../../../components/layouts/page-header';
import {
  VideoPlayer,
  type Highlight,
  type SeekRequest,
} from '../../../components/video/video-player';
import { paths } from '../../../config/paths';
import { useIsPhone } from '../../../lib/use-is-phone';
import { formatRemaining, formatScore, plural, scoreAtLeast } from '../../../lib/format';
import {
  isActiveStatus,
  progressColor,
  searchStatusColor,
  type Appearance,
  type SearchStatus,
  type SearchVideo,
} from '../../../lib/search-events';
import { useLiveStatus, type LiveFeedStatus } from '../api/get-live-status';
import { AlertSettingsPanel } from './alert-settings-form';
import { MatchesList } from './matches-list';
import { NotFoundAdvice } from './not-found-advice';
import { ProgressLayout } from './progress-layout';
import { SearchControls } from './search-controls';
import { featuredVideo, overallProgress, useOverallRemaining } from '../lib/overall-progress';
import { useLiveSearch } from './use-live-search';
import { VideoProgress } from './video-progress';

const markersOf = (appearances: Appearance[], videoId: string) =>
  appearances
    .filter((a) => a.videoId === videoId)
    .map((a) => ({ id: a.id, startMs: a.startMs, endMs: a.endMs, score: a.bestScore }));

/**
 * Live feeds play from their HLS relay while the search watches them (its relay stops with it);
 * recorded footage from its stream URL.
 */
const sourceOf = (video: SearchVideo, live: Record<string, LiveFeedStatus>, active: boolean) =>
  video.kind === 'live' ? (active ? (live[video.videoId]?.hlsUrl ?? null) : null) : video.streamUrl;

const LIVE_ENDED = 'The search has ended: this camera is no longer watched.';

function SmallPlayer({
  video,
  src,
  idleMessage,
  appearances,
  onFeature,
}: {
  video: SearchVideo;
  src: string | null;
  idleMessage?: string;
  appearances: Appearance[];
  onFeature: () => void;
}) {
  const count = appearances.filter((a) => a.videoId === video.videoId).length;
  return (
    <Card withBorder padding="xs" data-testid="small-player">
      <VideoPlayer
        compact
        src={src}
        idleMessage={idleMessage}
        title={video.title}
        posterUrl={video.posterUrl}
        frameWidth={video.width}
        frameHeight={video.height}
        durationMs={video.durationMs}
        markers={markersOf(appearances, video.videoId)}
        live={video.kind === 'live'}
      />
      <Group justify="space-between" mt={6} wrap="nowrap">
        <Text size="sm" truncate>
          {video.title}
        </Text>
        <Badge size="sm" variant="light" color={count > 0 ? 'red' : 'gray'}>
          {plural(count, 'match', 'matches')}
        </Badge>
      </Group>
      <Progress
        value={video.kind === 'live' ? 100 : video.progress}
        size="xs"
        mt={4}
        aria-label={`Analysis of ${video.title}`}
      />
      <Button
        variant="light"
        size="compact-sm"
        mt={6}
        onClick={onFeature}
        aria-label={`Show ${video.title} in the large player`}
      >
        Show large
      </Button>
    </Card>
  );
}

/** The whole search's bar, and one time left for all its footage (or how it ended). */
function OverallProgress({
  status,
  progress,
  remainingMs,
  hasFootage,
}: {
  status: SearchStatus;
  progress: number;
  remainingMs: number | null;
  hasFootage: boolean;
}) {
  const percent = `${Math.round(progress)}%`;
  const summary = {
    queued: 'Waiting for a free worker…',
    running: remainingMs === null ? 'Estimating time left…' : formatRemaining(remainingMs),
    paused: `Paused at ${percent}`,
    completed: 'All footage analysed',
    cancelled: `Cancelled at ${percent}: the rest of the footage was not analysed`,
    failed: `Failed at ${percent}`,
  }[status];
  return (
    <Stack gap={4} data-testid="overall-progress">
      {hasFootage && (
        <Progress.Root size="xl">
          <Progress.Section
            aria-label="Overall progress"
            value={progress}
            color={progressColor[status]}
            animated={status === 'running'}
          >
            <Progress.Label>{percent}</Progress.Label>
          </Progress.Section>
        </Progress.Root>
      )}
      <Text size="sm" data-testid="overall-remaining">
        {hasFootage ? `${percent} of the footage analysed · ${summary}` : summary}
      </Text>
    </Stack>
  );
}

/**
 * The search as it runs: a large player for the featured video with the others smaller beneath,
 * per-video progress, and matches arriving live in a list and as markers on each timeline.
 */
export function SearchProgress({ searchId }: { searchId: string }) {
  const { search, appearances, connected } = useLiveSearch(searchId);
  const hasLive = search.data?.videos.some((v) => v.kind === 'live') ?? false;
  const liveStatus = useLiveStatus(searchId, hasLive);
  const [featuredId, setFeaturedId] = useState<string | null>(null);
  const [minScore, setMinScore] = useState(0);
  const [selected, setSelected] = useState<Appearance | null>(null);
  const [seek, setSeek] = useState<SeekRequest | null>(null);
  const featuredRef = useRef<HTMLDivElement>(null);
  const phone = useIsPhone();
  const remainingMs = useOverallRemaining(
    search.data?.videos ?? [],
    search.data?.status === 'running',
  );

  if (search.isPending) return <PageLoader />;
  if (search.isError)
    return <ErrorState error={search.error} onRetry={() => void search.refetch()} />;
  const s = search.data;
  const videos = s.videos;
  const all = appearances.data?.items ?? [];
  const featured = videos.find((v) => v.videoId === featuredId) ?? featuredVideo(videos, all);
  const shown = all
    .filter((a) => scoreAtLeast(a.bestScore, minScore))
    .sort((a, b) => b.bestScore - a.bestScore);
  const videoTitles = Object.fromEntries(videos.map((v) => [v.videoId, v.title]));
  const overall = s.status === 'completed' ? 100 : overallProgress(videos);
  const name = `${s.missingPerson.firstName} ${s.missingPerson.lastName}`;
  const live = Object.fromEntries((liveStatus.data?.items ?? []).map((f) => [f.videoId, f]));

  const select = (appearance: Appearance) => {
    setSelected(appearance);
    setFeaturedId(appearance.videoId);
    setSeek({ timeMs: appearance.bestTimeMs, nonce: Date.now() });
    // On a phone the player is below the matches: bring it into view to show the match.
    if (phone) featuredRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };
  const highlight: Highlight | null =
    selected && featured && selected.videoId === featured.videoId
      ? { box: selected.box, fromMs: selected.startMs, toMs: selected.endMs }
      : null;

  return (
    <Stack>
      <PageHeader
        documentTitle={
          isActiveStatus(s.status)
            ? `${Math.round(overall)}% · Searching for ${name}`
            : `Search ${s.status} · ${name}`
        }
        title={
          <Group gap="sm">
            {isActiveStatus(s.status) ? 'Searching for' : 'Search for'} {name}
            <Badge color={searchStatusColor[s.status]} data-testid="search-status">
              {s.status}
            </Badge>
          </Group>
        }
        description={`${s.preset} · threshold ${formatScore(s.threshold)}: faces scoring lower are not reported · ${s.priority} priority${connected ? '' : ' · reconnecting to live updates…'}`}
        actions={
          <>
            {s.role !== 'viewer' && (
              <SearchControls searchId={s.id} status={s.status} matchCount={all.length} />
            )}
            {!isActiveStatus(s.status) && (
              <Button component={Link} to={paths.results(s.id)}>
                View results
              </Button>
            )}
          </>
        }
      />
      {s.status === 'completed' && all.length > 0 && (
        <Alert color="green" title="The search is finished">
          {`${name} was found ${plural(all.length, 'time')}. `}
          <Link to={paths.results(s.id)}>Open the results report</Link>
        </Alert>
      )}
      {s.status === 'completed' && all.length === 0 && appearances.isSuccess && (
        <NotFoundAdvice search={s} />
      )}
      {s.status === 'failed' && (
        <Alert color="red">The search failed. See each video below for the reason.</Alert>
      )}
      <OverallProgress
        status={s.status}
        progress={overall}
        remainingMs={remainingMs}
        hasFootage={videos.some((v) => v.kind !== 'live')}
      />
      <ProgressLayout
        featured={
          featured ? (
            <Paper withBorder p="sm" radius="md" data-testid="featured-player" ref={featuredRef}>
              <Text fw={600} mb={6}>
                {featured.title}
              </Text>
              <VideoPlayer
                key={featured.videoId}
                src={sourceOf(featured, live, isActiveStatus(s.status))}
                idleMessage={isActiveStatus(s.status) ? undefined : LIVE_ENDED}
                title={featured.title}
                posterUrl={featured.posterUrl}
                frameWidth={featured.width}
                frameHeight={featured.height}
                durationMs={featured.durationMs}
                markers={markersOf(all, featured.videoId)}
                onMarkerClick={(id) => {
                  const appearance = all.find((a) => a.id === id);
                  if (appearance) select(appearance);
                }}
                seek={seek}
                highlight={highlight}
                live={featured.kind === 'live'}
              />
            </Paper>
          ) : (
            <EmptyState title="This search has no video" />
          )
        }
        others={videos
          .filter((v) => v.videoId !== featured?.videoId)
          .map((video) => (
            <SmallPlayer
              key={video.videoId}
              video={video}
              src={sourceOf(video, live, isActiveStatus(s.status))}
              idleMessage={isActiveStatus(s.status) ? undefined : LIVE_ENDED}
              appearances={all}
              onFeature={() => {
                setFeaturedId(video.videoId);
                setSeek(null);
              }}
            />
          ))}
        aside={
          <>
            <Paper withBorder p="sm" radius="md">
              <Title order={3} size="h5" mb="xs">
                Progress per video
              </Title>
              <Stack gap="sm">
                {videos.map((video) => (
                  <VideoProgress
                    key={video.videoId}
                    video={video}
                    searchStatus={s.status}
                    live={live[video.videoId]}
                  />
                ))}
              </Stack>
            </Paper>
            {hasLive && <AlertSettingsPanel searchId={s.id} editable={s.role !== 'viewer'} />}
          </>
        }
        matches={
          <Paper withBorder p="sm" radius="md" data-testid="matches-panel">
            <Group justify="space-between" mb="xs">
              <Title order={3} size="h5">
                Matches
              </Title>
              <Badge color={all.length > 0 ? 'red' : 'gray'} data-testid="match-count">
                {all.length}
              </Badge>
            </Group>
            {/* Screen readers hear each new match as it arrives, not only those who look. */}
            <VisuallyHidden aria-live="polite" data-testid="match-announcer">
              {plural(all.length, 'match', 'matches')} found so far
            </VisuallyHidden>
            <ConfidenceFilter value={minScore} onChange={setMinScore} threshold={s.threshold} />
            {appearances.isError && <ErrorState error={appearances.error} />}
            {all.length === 0 && (
              <Text size="sm" c="dimmed">
                {isActiveStatus(s.status)
                  ? 'No match yet. Matches appear here the moment they are found.'
                  : 'No match was found.'}
              </Text>
            )}
            {all.length > 0 && shown.length === 0 && (
              <Text size="sm" c="dimmed">
                No match scores this high; lower the filter to see the {all.length} found.
              </Text>
            )}
            <MatchesList
              appearances={shown}
              videoTitles={videoTitles}
              selectedId={selected?.id ?? null}
              onSelect={select}
            />
          </Paper>
        }
      />
    </Stack>
  );
}
