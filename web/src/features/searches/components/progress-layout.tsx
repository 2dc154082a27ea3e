import { Button, Collapse, Grid, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useId, type ReactNode } from 'react';
import { plural } from '../../../lib/format';
import { useIsPhone } from '../../../lib/use-is-phone';

interface ProgressLayoutProps {
  /** The large player, or what stands in for it. */
  featured: ReactNode;
  /** The other videos' small players. */
  others: ReactNode[];
  /** The matches panel. */
  matches: ReactNode;
  /** Progress per video, and anything else that belongs beside the players. */
  aside: ReactNode;
}

/**
 * Where the progress page's parts go. On a wide screen the players fill the left and progress and
 * matches the right. On a phone the matches come first, right under the overall bar, then the
 * large player, with the other videos folded away behind a button (a dozen players would push the
 * rest a few thousand pixels down), then the progress per video.
 */
export function ProgressLayout({ featured, others, matches, aside }: ProgressLayoutProps) {
  const phone = useIsPhone();
  if (phone) {
    return (
      <Stack>
        {matches}
        {featured}
        {others.length > 0 && <FoldedPlayers players={others} />}
        {aside}
      </Stack>
    );
  }
  return (
    <Grid gutter="md">
      <Grid.Col span={{ base: 12, lg: 8 }}>
        <Stack>
          {featured}
          {others.length > 0 && <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }}>{others}</SimpleGrid>}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 4 }}>
        <Stack>
          {aside}
          {matches}
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

function FoldedPlayers({ players }: { players: ReactNode[] }) {
  const [opened, { toggle }] = useDisclosure(false);
  const id = useId();
  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="nowrap">
        <Text fw={600}>{plural(players.length, 'other video')}</Text>
        <Button variant="default" onClick={toggle} aria-expanded={opened} aria-controls={id}>
          {opened ? 'Hide' : 'Show'} {players.length === 1 ? 'it' : 'them'}
        </Button>
      </Group>
      <Collapse in={opened} id={id}>
        <Stack>{opened && players}</Stack>
      </Collapse>
    </Stack>
  );
}
