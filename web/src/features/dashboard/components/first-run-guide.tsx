import { Badge, Button, Group, List, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { Link } from 'react-router';
import { paths } from '../../../config/paths';
import { useCanContribute } from '../../../lib/auth';
import { useStats, type DashboardStats } from '../api/get-stats';

interface GuideStep {
  title: string;
  description: string;
  action: string;
  done: (stats: DashboardStats) => boolean;
}

/** The three things a first search needs, in order; each is done once it exists. */
const steps: GuideStep[] = [
  {
    title: 'Open a case',
    description: 'Name the person you are looking for and add a clear photo of their face.',
    action: 'Open a case',
    done: (stats) => stats.cases.total > 0,
  },
  {
    title: 'Add footage',
    description: 'Upload recorded videos, or connect a live camera.',
    action: 'Add footage',
    done: (stats) => stats.videos.total > 0,
  },
  {
    title: 'Search',
    description: 'Look for the person in the footage; matches appear as they are found.',
    action: 'Start a search',
    done: (stats) => stats.searches.total > 0,
  },
];

/**
 * Getting started: open a case, add footage, search, each shown done or still to do, until all
 * three are done. Accounts that only view shared cases have nothing to set up and never see it.
 */
export function FirstRunGuide() {
  const stats = useStats();
  const canContribute = useCanContribute();
  if (!canContribute || !stats.data) return null;
  const state = steps.map((step) => ({ ...step, isDone: step.done(stats.data) }));
  if (state.every((step) => step.isDone)) return null;
  const next = state.find((step) => !step.isDone);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="first-run-title">
      <Title order={3} id="first-run-title" mb={4}>
        Get started
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Three steps to your first search. All of them happen on the New search page.
      </Text>
      <List spacing="sm" center type="ordered" listStyleType="none">
        {state.map((step, index) => (
          <List.Item
            key={step.title}
            data-testid="first-run-step"
            data-done={step.isDone}
            icon={
              <ThemeIcon
                radius="xl"
                size="md"
                color={step.isDone ? 'green.8' : 'gray.7'}
                variant={step.isDone ? 'filled' : 'outline'}
                aria-hidden
              >
                {step.isDone ? '✓' : index + 1}
              </ThemeIcon>
            }
          >
            <Group justify="space-between" gap="xs" wrap="wrap">
              <Stack gap={0} style={{ flex: '1 1 240px' }}>
                <Group gap="xs">
                  <Text fw={600}>{step.title}</Text>
                  <Badge size="sm" variant="light" color={step.isDone ? 'green.9' : 'gray.8'}>
                    {step.isDone ? 'Done' : 'To do'}
                  </Badge>
                </Group>
                <Text size="sm" c="dimmed">
                  {step.description}
                </Text>
              </Stack>
              {!step.isDone && (
                <Button
                  component={Link}
                  to={paths.newSearch}
                  size="sm"
                  variant={step === next ? 'filled' : 'default'}
                >
                  {step.action}
                </Button>
              )}
            </Group>
          </List.Item>
        ))}
      </List>
    </Paper>
  );
}
