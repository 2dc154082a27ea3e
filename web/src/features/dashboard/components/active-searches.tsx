import { Anchor, Badge, Group, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/feedback/empty-state';
import { ErrorState } from '../../../components/feedback/error-state';
import { PageLoader } from '../../../components/feedback/page-loader';
import { ContributeButton } from '../../../components/layouts/contribute-button';
import { paths } from '../../../config/paths';
import { plural } from '../../../lib/format';
import {
  isActiveStatus,
  searchStatusColor,
  useSearchEvents,
  type SearchEvent,
  type SearchStatus,
} from '../../../lib/search-events';
import { useActiveSearches } from '../api/get-active-searches';
import { dashboardKeys } from '../../../lib/dashboard-keys';

interface LiveState {
  status?: SearchStatus;
  videoProgress: Record<string, number>;
}

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

/** Active searches with progress bars that move as the WebSocket reports progress. */
export function ActiveSearches() {
  const queryClient = useQueryClient();
  const [live, setLive] = useState<Record<string, LiveState>>({});
  const searches = useActiveSearches();
  const ids = searches.data?.items.map((s) => s.id) ?? [];

  const onEvent = (event: SearchEvent) => {
    if (event.type === 'error' || !('searchId' in event)) return;
    const { searchId } = event;
    setLive((current) => {
      const state = current[searchId] ?? { videoProgress: {} };
      switch (event.type) {
        case 'snapshot':
          return {
            ...current,
            [searchId]: {
              status: event.status,
              videoProgress: Object.fromEntries(event.videos.map((v) => [v.videoId, v.progress])),
            },
          };
        case 'search.status':
          return { ...current, [searchId]: { ...state, status: event.status } };
        case 'search.progress':
          return {
            ...current,
            [searchId]: {
              ...state,
              videoProgress: { ...state.videoProgress, [event.videoId]: event.progress },
            },
          };
        case 'search.detection':
        case 'search.live':
          return current;
      }
      // Event types this page does not know (newer servers send more) change nothing.
      return current;
    });
    if (event.type === 'search.status' && !isActiveStatus(event.status)) {
      void queryClient.invalidateQueries({ queryKey: dashboardKeys.all });
    }
  };
  useSearchEvents(ids, onEvent);

  return (
    <Stack gap="sm">
      <Title order={3}>Active searches</Title>
      {searches.isPending && <PageLoader />}
      {searches.isError && (
        <ErrorState error={searches.error} onRetry={() => void searches.refetch()} />
      )}
      {searches.data && searches.data.items.length === 0 && (
        <EmptyState
          title="No search is running"
          description="Start a search to look for a person in your footage."
          action={<ContributeButton variant="default">Start a search</ContributeButton>}
        />
      )}
      {searches.data?.items.map((search) => {
        const state = live[search.id];
        const values = Object.values(state?.videoProgress ?? {});
        const progress = values.length > 0 ? mean(values) : search.progress;
        const status = state?.status ?? search.status;
        return (
          <Paper key={search.id} withBorder p="sm" radius="md" data-testid="active-search">
            <Group justify="space-between" mb={6} wrap="nowrap">
              <Anchor component={Link} to={paths.search(search.id)} fw={600} truncate>
                {search.missingPerson.firstName} {search.missingPerson.lastName}
              </Anchor>
              <Group gap={6} wrap="nowrap">
                <Text size="sm" c="dimmed">
                  {plural(search.matchCount, 'match', 'matches')}
                </Text>
                <Badge color={searchStatusColor[status]}>{status}</Badge>
              </Group>
            </Group>
            <Progress
              value={progress}
              animated={status === 'running'}
              aria-label={`Progress of the search for ${search.missingPerson.firstName}`}
            />
            <Text size="xs" c="dimmed" mt={4}>
              {Math.round(progress)}% of {plural(search.videoCount, 'video')} analysed
            </Text>
          </Paper>
        );
      })}
    </Stack>
  );
}
