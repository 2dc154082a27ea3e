import { Badge, Group, Image, Paper, Stack, Text, UnstyledButton } from '@mantine/core';
import { formatScore, formatVideoTime, scoreColor } from '../../../lib/format';
import type { Appearance } from '../../../lib/search-events';
import classes from './matches-list.module.css';

interface MatchesListProps {
  appearances: Appearance[];
  videoTitles: Record<string, string>;
  selectedId: string | null;
  onSelect: (appearance: Appearance) => void;
}

/** Each match with its face crop, where and when it was seen, and its score. */
export function MatchesList({ appearances, videoTitles, selectedId, onSelect }: MatchesListProps) {
  return (
    <Stack gap={6} role="list" aria-label="Matches">
      {appearances.map((appearance) => (
        <UnstyledButton
          key={appearance.id}
          role="listitem"
          onClick={() => onSelect(appearance)}
          className={classes.item}
          data-selected={appearance.id === selectedId || undefined}
          data-testid="match-item"
          aria-label={`Match in ${videoTitles[appearance.videoId] ?? 'video'} at ${formatVideoTime(appearance.startMs)}, score ${formatScore(appearance.bestScore)}`}
        >
          <Paper p={6} radius="sm" className={classes.paper}>
            <Group gap="sm" wrap="nowrap">
              <Image src={appearance.faceUrl} alt="" w={52} h={52} radius="sm" fit="cover" />
              <Stack gap={0} style={{ minWidth: 0, flex: 1 }}>
                <Text size="sm" fw={600}>
                  {formatVideoTime(appearance.startMs)} – {formatVideoTime(appearance.endMs)}
                </Text>
                <Text size="xs" c="dimmed" truncate>
                  {videoTitles[appearance.videoId] ?? 'Video'}
                </Text>
              </Stack>
              <Badge color={scoreColor(appearance.bestScore)} variant="filled">
                {formatScore(appearance.bestScore)}
              </Badge>
            </Group>
          </Paper>
        </UnstyledButton>
      ))}
    </Stack>
  );
}
