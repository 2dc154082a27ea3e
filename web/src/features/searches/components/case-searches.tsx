import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Image,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/feedback/empty-state';
import { ErrorState } from '../../../components/feedback/error-state';
import { PageLoader } from '../../../components/feedback/page-loader';
import { paths } from '../../../config/paths';
import {
  formatDateTime,
  formatScore,
  formatVideoTime,
  plural,
  scoreColor,
} from '../../../lib/format';
import {
  progressColor,
  searchPage,
  searchStatusColor,
  type SearchListItem,
} from '../../../lib/search-events';
import { useCaseSightings } from '../api/get-case-sightings';
import { useSearches } from '../api/get-searches';

interface CaseSearchesProps {
  caseId: string;
  firstName: string;
  /** Whether the viewer may start a search for this case. */
  canSearch: boolean;
}

function SearchRow({ search }: { search: SearchListItem }) {
  return (
    <Paper withBorder p="sm" radius="md" data-testid="case-search">
      <Group justify="space-between" gap="xs">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Anchor component={Link} to={searchPage(search)} fw={600}>
            Search of {formatDateTime(search.createdAt)}
          </Anchor>
          <Text size="xs" c="gray.7">
            {plural(search.videoCount, 'video')} · {search.preset} · threshold{' '}
            {formatScore(search.threshold)}
          </Text>
        </Stack>
        <Group gap="xs" wrap="nowrap">
          <Badge color={searchStatusColor[search.status]}>{search.status}</Badge>
          <Badge color={search.matchCount > 0 ? 'red' : 'gray'} variant="light">
            {plural(search.matchCount, 'match', 'matches')}
          </Badge>
        </Group>
      </Group>
      <Group gap="xs" mt={6} wrap="nowrap">
        <Progress
          value={search.progress}
          color={progressColor[search.status]}
          aria-label={`Progress, ${search.status}`}
          size="sm"
          style={{ flex: 1 }}
        />
        <Text size="xs">{Math.round(search.progress)}% analysed</Text>
      </Group>
    </Paper>
  );
}

function Sightings({ caseId }: { caseId: string }) {
  const sightings = useCaseSightings(caseId);
  if (sightings.isPending) return <PageLoader />;
  if (sightings.isError) return <ErrorState error={sightings.error} />;
  if (sightings.data.items.length === 0)
    return (
      <Text size="sm" c="gray.7">
        No sighting yet: matches of this case's searches appear here.
      </Text>
    );
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, md: 4 }} spacing="sm">
      {sightings.data.items.map((sighting) => (
        <Card
          key={sighting.id}
          withBorder
          padding="xs"
          component={Link}
          to={paths.results(sighting.searchId)}
          data-testid="case-sighting"
          aria-label={`Sighting in ${sighting.videoTitle} at ${formatVideoTime(sighting.startMs)}, score ${formatScore(sighting.bestScore)}: open its search's results`}
        >
          <Image src={sighting.faceUrl} alt="" h={120} radius="sm" fit="cover" />
          <Group justify="space-between" mt={6} wrap="nowrap" gap={4}>
            <Stack gap={0} style={{ minWidth: 0 }}>
              <Text size="sm" fw={600}>
                {formatVideoTime(sighting.startMs)}
              </Text>
              <Text size="xs" c="gray.7" truncate>
                {sighting.videoTitle}
              </Text>
            </Stack>
            <Badge
              color={scoreColor(sighting.bestScore)}
              variant="filled"
              style={{ flexShrink: 0 }}
            >
              {formatScore(sighting.bestScore)}
            </Badge>
          </Group>
        </Card>
      ))}
    </SimpleGrid>
  );
}

/** The case's searches (status, progress, matches) and its best sightings over all of them. */
export function CaseSearches({ caseId, firstName, canSearch }: CaseSearchesProps) {
  const searches = useSearches({ missingPersonId: caseId, pageSize: 50 });
  const newSearch = canSearch && (
    <Button component={Link} to={`${paths.newSearch}?caseId=${caseId}`} variant="light">
      Search for {firstName}
    </Button>
  );
  return (
    <Stack data-testid="case-searches">
      <Title order={3}>Best sightings</Title>
      <Sightings caseId={caseId} />
      <Title order={3}>Searches</Title>
      {searches.isPending && <PageLoader />}
      {searches.isError && (
        <ErrorState error={searches.error} onRetry={() => void searches.refetch()} />
      )}
      {searches.data?.items.length === 0 && (
        <EmptyState
          title={`No search for ${firstName} yet`}
          description="Search footage or a live camera for this person's face."
          action={newSearch}
        />
      )}
      {searches.data?.items.map((search) => (
        <SearchRow key={search.id} search={search} />
      ))}
    </Stack>
  );
}
