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
import { useState } from 'react';
import { Link } from 'react-router';
import { ConfidenceFilter } from '../../../components/confidence-filter';
import { EmptyState } from '../../../components/feedback/empty-state';
import { ErrorState } from '../../../components/feedback/error-state';
import { PageLoader } from '../../../components/feedback/page-loader';
import { PageHeader } from '../../../components/layouts/page-header';
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
import { AppearanceDetail } from './appearance-detail';
import { ResultsTimeline } from './results-timeline';

function Seen({ label, title, timeMs }: { label: string; title: string; timeMs: number }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text fw={600}>{formatVideoTime(timeMs)}</Text>
      <Text size="sm" c="dimmed">
        {title}
      </Text>
    </div>
  );
}

/** The report: found or not, where and when, a timeline per video, the gallery and exports. */
export function SearchResults({ searchId }: { searchId: string }) {
  const summary = useSummary(searchId);
  const search = useSearch(searchId);
  const [minScore, setMinScore] = useState(0);
  const [open, setOpen] = useState<Appearance | null>(null);

  if (summary.isPending || search.isPending) return <PageLoader />;
  if (summary.isError)
    return <ErrorState error={summary.error} onRetry={() => void summary.refetch()} />;
  if (search.isError)
    return <ErrorState error={search.error} onRetry={() => void search.refetch()} />;
  const r = summary.data;
  const s = search.data;
  const name = `${s.missingPerson.firstName} ${s.missingPerson.lastName}`;
  const titles = Object.fromEntries(r.videos.map((v) => [v.videoId, v.title]));
  const durations = Object.fromEntries(s.videos.map((v) => [v.videoId, v.durationMs]));
  const gallery = r.videos
    .flatMap((v) => v.appearances)
    .filter((a) => scoreAtLeast(a.bestScore, minScore))
    .sort((a, b) => b.bestScore - a.bestScore);
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
        description={`Search started ${formatDateTime(s.startedAt ?? s.createdAt)}${s.finishedAt ? `, finished ${formatDateTime(s.finishedAt)}` : ''}`}
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
            <Button component={Link} to={paths.home} variant="subtle">
              Back to dashboard
            </Button>
          </>
        }
      />
      {isActiveStatus(r.status) && (
        <Alert color="blue">
          The search is still {r.status}; these results are partial.{' '}
          <Link to={paths.search(searchId)}>Follow it live</Link>
        </Alert>
      )}
      <Paper withBorder p="md" radius="md" data-testid="results-summary">
        <Grid align="center">
          <Grid.Col span={{ base: 12, sm: 'auto' }}>
            <Stack gap={6}>
              <Title order={3} c={r.found ? 'green.8' : 'dimmed'}>
                {r.found
                  ? `${name} was found: ${r.appearanceCount} appearance${r.appearanceCount === 1 ? '' : 's'}`
                  : `${name} was not found in this footage`}
              </Title>
              {r.found && (
                <Text size="sm">
                  Seen in{' '}
                  {r.videos
                    .filter((v) => v.appearanceCount > 0)
                    .map((v) => v.title)
                    .join(', ')}
                </Text>
              )}
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
                onClick={() => setOpen(r.bestMatch)}
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
                    <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
                      Best match
                    </Text>
                    <Badge color={scoreColor(r.bestMatch.bestScore)} size="lg">
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
      <Paper withBorder p="md" radius="md" maw={420}>
        <ConfidenceFilter value={minScore} onChange={setMinScore} threshold={s.threshold} />
      </Paper>
      <Title order={3}>Timeline per video</Title>
      <Stack>
        {r.videos.map((video) => (
          <Paper key={video.videoId} withBorder p="sm" radius="md">
            <Group justify="space-between" mb={4}>
              <Text fw={600}>{video.title}</Text>
              <Text size="sm" c="dimmed">
                {video.appearanceCount} appearance{video.appearanceCount === 1 ? '' : 's'}
                {video.bestScore !== null && ` · best ${formatScore(video.bestScore)}`}
              </Text>
            </Group>
            <ResultsTimeline
              appearances={video.appearances.filter((a) => scoreAtLeast(a.bestScore, minScore))}
              durationMs={durations[video.videoId] ?? null}
              onSelect={setOpen}
            />
          </Paper>
        ))}
      </Stack>
      <Title order={3}>Match gallery</Title>
      {gallery.length === 0 ? (
        <EmptyState
          title={r.found ? 'No match at this confidence' : 'No match to show'}
          description={r.found ? 'Lower the confidence filter to see more.' : undefined}
        />
      ) : (
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3, xl: 4 }}>
          {gallery.map((appearance) => (
            <Card key={appearance.id} withBorder padding="xs" data-testid="gallery-item">
              <UnstyledButton
                onClick={() => setOpen(appearance)}
                aria-label={`Open the appearance at ${formatVideoTime(appearance.startMs)} in ${titles[appearance.videoId]}`}
              >
                <Image src={appearance.frameUrl} alt="" radius="sm" />
                <Group justify="space-between" mt={6} wrap="nowrap">
                  <Stack gap={0} style={{ minWidth: 0 }}>
                    <Text size="sm" fw={600}>
                      {formatVideoTime(appearance.startMs)} – {formatVideoTime(appearance.endMs)}
                    </Text>
                    <Text size="xs" c="dimmed" truncate>
                      {titles[appearance.videoId]}
                      {appearance.clipUrl ? ' · clip' : ''}
                    </Text>
                  </Stack>
                  <Badge color={scoreColor(appearance.bestScore)}>
                    {formatScore(appearance.bestScore)}
                  </Badge>
                </Group>
              </UnstyledButton>
            </Card>
          ))}
        </SimpleGrid>
      )}
      <AppearanceDetail
        searchId={searchId}
        appearance={open}
        videoTitle={open ? (titles[open.videoId] ?? '') : ''}
        onClose={() => setOpen(null)}
      />
    </Stack>
  );
}
