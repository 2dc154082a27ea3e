import {
  Alert,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  Image,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { ConfidenceFilter } from '../../../components/confidence-filter';
import { EmptyState } from '../../../components/feedback/empty-state';
import { ErrorState } from '../../../components/feedback/error-state';
import { PageLoader } from '../../../components/feedback/page-loader';
import { PageHeader } from '../../../components/layouts/page-header';
import type { SeekRequest } from '../../../components/video/video-player';
import { paths } from '../../../config/paths';
import {
  formatDateTime,
  formatScore,
  formatVideoTime,
  scoreAtLeast,
  scoreColor,
} from '../../../lib/format';
import { isActiveStatus, searchStatusColor, type Appearance } from '../../../lib/search-events';
import { useSearch } from '../api/get-search';
import { useSummary } from '../api/get-summary';
import type { SearchSummary } from '../api/types';
import { AppearanceDetail } from './appearance-detail';
import { NotFoundAdvice } from './not-found-advice';
import { ResultsPlayer } from './results-player';
import { ResultsTimeline } from './results-timeline';

function Seen({ label, title, timeMs }: { label: string; title: string; timeMs: number }) {
  return (
    <div>
      <Text size="xs" c="gray.7" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text fw={600}>{formatVideoTime(timeMs)}</Text>
      <Text size="sm" c="gray.7">
        {title}
      </Text>
    </div>
  );
}

/** Found: how often, where first and last, and the best match (opens its details). */
function FoundSummary({
  summary: r,
  name,
  titles,
  onOpen,
}: {
  summary: SearchSummary;
  name: string;
  titles: Record<string, string>;
  onOpen: (appearance: Appearance) => void;
}) {
  return (
    <Paper withBorder p="md" radius="md" data-testid="results-summary">
      <Grid align="center">
        <Grid.Col span={{ base: 12, sm: 'auto' }}>
          <Stack gap={6}>
            <Title order={3} c="green.9">
              {name} was found: {r.appearanceCount} appearance{r.appearanceCount === 1 ? '' : 's'}
            </Title>
            <Text size="sm">
              Seen in{' '}
              {r.videos
                .filter((v) => v.appearanceCount > 0)
                .map((v) => v.title)
                .join(', ')}
            </Text>
            <Group gap="xl" mt="xs">
              {r.firstSeen && (
                <Seen
                  label="First seen"
                  title={titles[r.firstSeen.videoId] ?? ''}
                  timeMs={r.firstSeen.timeMs}
                />
              )}
              {r.lastSeen && (
                <Seen
                  label="Last seen"
                  title={titles[r.lastSeen.videoId] ?? ''}
                  timeMs={r.lastSeen.timeMs}
                />
              )}
            </Group>
          </Stack>
        </Grid.Col>
        {r.bestMatch && (
          <Grid.Col span={{ base: 12, sm: 5 }}>
            <UnstyledButton
              onClick={() => r.bestMatch && onOpen(r.bestMatch)}
              aria-label="Open the best match"
              w="100%"
            >
              <Group gap="sm" wrap="nowrap">
                <Image
                  src={r.bestMatch.faceUrl}
                  alt="Best matching face"
                  w={96}
                  h={96}
                  radius="sm"
                  fit="cover"
                />
                <Stack gap={2}>
                  <Text size="xs" c="gray.7" tt="uppercase" fw={700}>
                    Best match
                  </Text>
                  <Badge color={scoreColor(r.bestMatch.bestScore)} size="lg" variant="filled">
                    {formatScore(r.bestMatch.bestScore)}
                  </Badge>
                  <Text size="sm">
                    {titles[r.bestMatch.videoId]} at {formatVideoTime(r.bestMatch.bestTimeMs)}
                  </Text>
                </Stack>
              </Group>
            </UnstyledButton>
          </Grid.Col>
        )}
      </Grid>
    </Paper>
  );
}

function Gallery({
  shown,
  found,
  titles,
  onOpen,
}: {
  shown: Appearance[];
  found: boolean;
  titles: Record<string, string>;
  onOpen: (appearance: Appearance) => void;
}) {
  if (shown.length === 0)
    return (
      <EmptyState
        title={found ? 'No match at this confidence' : 'No match to show'}
        description={found ? 'Lower the confidence filter to see more.' : undefined}
      />
    );
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 3, xl: 4 }}>
      {shown.map((appearance) => (
        <Card key={appearance.id} withBorder padding="xs" data-testid="gallery-item">
          <UnstyledButton
            onClick={() => onOpen(appearance)}
            aria-label={`Open the appearance at ${formatVideoTime(appearance.startMs)} in ${titles[appearance.videoId]}, score ${formatScore(appearance.bestScore)}`}
          >
            <Image src={appearance.frameUrl} alt="" radius="sm" />
            <Group justify="space-between" mt={6} wrap="nowrap">
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Text size="sm" fw={600}>
                  {formatVideoTime(appearance.startMs)} – {formatVideoTime(appearance.endMs)}
                </Text>
                <Text size="xs" c="gray.7" truncate>
                  {titles[appearance.videoId]}
                  {appearance.clipUrl ? ' · clip' : ''}
                </Text>
              </Stack>
              <Badge color={scoreColor(appearance.bestScore)} variant="filled">
                {formatScore(appearance.bestScore)}
              </Badge>
            </Group>
          </UnstyledButton>
        </Card>
      ))}
    </SimpleGrid>
  );
}

interface SearchResultsProps {
  searchId: string;
  /** What is known of the searched person, shown under the title (the cases feature draws it). */
  personFacts?: (caseId: string) => ReactNode;
}

/**
 * The report: found or not (with advice when not), every video on one timeline that plays the
 * video from a match, the gallery and the exports.
 */
export function SearchResults({ searchId, personFacts }: SearchResultsProps) {
  const summary = useSummary(searchId);
  const search = useSearch(searchId);
  const [minScore, setMinScore] = useState(0);
  const [open, setOpen] = useState<Appearance | null>(null);
  const [playing, setPlaying] = useState<{ appearance: Appearance; seek: SeekRequest } | null>(
    null,
  );

  if (summary.isPending || search.isPending) return <PageLoader />;
  if (summary.isError)
    return <ErrorState error={summary.error} onRetry={() => void summary.refetch()} />;
  if (search.isError)
    return <ErrorState error={search.error} onRetry={() => void search.refetch()} />;
  const r = summary.data;
  const s = search.data;
  const name = `${s.missingPerson.firstName} ${s.missingPerson.lastName}`;
  const titles = Object.fromEntries(r.videos.map((v) => [v.videoId, v.title]));
  const all = r.videos.flatMap((v) => v.appearances);
  const shown = all.filter((a) => scoreAtLeast(a.bestScore, minScore));
  const playingVideo = playing && s.videos.find((v) => v.videoId === playing.appearance.videoId);
  const play = (appearance: Appearance) =>
    setPlaying({ appearance, seek: { timeMs: appearance.startMs, nonce: Date.now(), play: true } });
  const exportUrl = (format: string) => `/api/searches/${searchId}/export?format=${format}`;

  return (
    <Stack>
      <PageHeader
        documentTitle={`Results for ${name}`}
        title={
          <Group gap="sm">
            Results for {name}
            <Badge color={searchStatusColor[r.status]}>{r.status}</Badge>
          </Group>
        }
        description={`Search started ${formatDateTime(s.startedAt ?? s.createdAt)}${s.finishedAt ? `, finished ${formatDateTime(s.finishedAt)}` : ''} · ${s.preset} · threshold ${formatScore(s.threshold)}: faces scoring lower were not reported`}
        actions={
          <>
            <Button component="a" href={exportUrl('json')} download variant="default">
              Export JSON
            </Button>
            <Button component="a" href={exportUrl('csv')} download variant="default">
              Export CSV
            </Button>
            <Button component="a" href={exportUrl('zip')} download variant="default">
              ZIP report
            </Button>
            <Button component={Link} to={paths.case(s.missingPerson.id)} variant="subtle">
              Open the case
            </Button>
          </>
        }
      />
      {personFacts?.(s.missingPerson.id)}
      {isActiveStatus(r.status) && (
        <Alert color="blue">
          The search is still {r.status}; these results are partial.{' '}
          <Link to={paths.search(searchId)}>Follow it live</Link>
        </Alert>
      )}
      {r.found ? (
        <FoundSummary summary={r} name={name} titles={titles} onOpen={setOpen} />
      ) : (
        !isActiveStatus(r.status) && <NotFoundAdvice search={s} />
      )}
      {r.found && (
        <Paper withBorder p="md" radius="md" maw={520}>
          <ConfidenceFilter value={minScore} onChange={setMinScore} threshold={s.threshold} />
        </Paper>
      )}
      <Stack gap={4}>
        <Title order={3}>Timeline</Title>
        <Text size="sm" c="gray.7">
          Every video on the same time scale, one row each. Click a match to play its video from
          there.
        </Text>
      </Stack>
      <Paper withBorder p="sm" radius="md">
        <ResultsTimeline videos={s.videos} appearances={shown} onPlay={play} />
      </Paper>
      {playing && playingVideo && (
        <ResultsPlayer
          video={playingVideo}
          appearance={playing.appearance}
          seek={playing.seek}
          appearances={shown.filter((a) => a.videoId === playingVideo.videoId)}
          onPlay={play}
          onDetails={setOpen}
          onClose={() => setPlaying(null)}
        />
      )}
      <Title order={3}>Match gallery</Title>
      <Gallery
        shown={[...shown].sort((a, b) => b.bestScore - a.bestScore)}
        found={r.found}
        titles={titles}
        onOpen={setOpen}
      />
      <AppearanceDetail
        searchId={searchId}
        appearance={open}
        videoTitle={open ? (titles[open.videoId] ?? '') : ''}
        onClose={() => setOpen(null)}
      />
    </Stack>
  );
}
