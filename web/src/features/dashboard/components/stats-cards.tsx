import { Paper, SimpleGrid, Skeleton, Text } from '@mantine/core';
import { ErrorState } from '../../../components/feedback/error-state';
import { formatDuration } from '../../../lib/format';
import { useStats } from '../api/get-stats';

function Stat({ label, value, detail }: { label: string; value: string | number; detail: string }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text fz={28} fw={700} lh={1.2}>
        {value}
      </Text>
      <Text size="sm" c="dimmed">
        {detail}
      </Text>
    </Paper>
  );
}

export function StatsCards() {
  const stats = useStats();
  if (stats.isPending) {
    return (
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        {[0, 1, 2, 3].map((i) => (
          <Skeleton key={i} h={98} radius="md" />
        ))}
      </SimpleGrid>
    );
  }
  if (stats.isError) return <ErrorState error={stats.error} onRetry={() => void stats.refetch()} />;
  const { cases, videos, searches, matches } = stats.data;
  return (
    <SimpleGrid cols={{ base: 2, md: 4 }}>
      <Stat
        label="Open cases"
        value={cases.missing}
        detail={`${cases.found} found · ${cases.total} in all`}
      />
      <Stat
        label="Footage"
        value={videos.total}
        detail={`${formatDuration(videos.footageMs)} · ${videos.live} live`}
      />
      <Stat
        label="Searches"
        value={searches.running + searches.queued + searches.paused}
        detail={`active · ${searches.completed} completed`}
      />
      <Stat label="Matches" value={matches} detail="appearances found" />
    </SimpleGrid>
  );
}
