import { Button, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { Link, useNavigate } from 'react-router';
import { paths } from '../../../config/paths';
import { useCanContribute, useUser } from '../../../lib/auth';
import { formatScore } from '../../../lib/format';
import type { SearchDetail } from '../api/types';
import { saveNewSearchDraft } from '../lib/new-search-draft';

/** The lowest threshold the New search page offers. */
const LOWEST_THRESHOLD = 0.3;

/** Ten points lower, on the 5 % grid of the settings slider, never below what the page offers. */
export const lowerThreshold = (threshold: number) =>
  Math.max(LOWEST_THRESHOLD, Math.round((threshold - 0.1) * 20) / 20);

/**
 * "Not found" as advice rather than a dead end: why a face can be missed, what to try (a lower
 * threshold, more photos, other footage, a slower speed) and the buttons that do it.
 */
export function NotFoundAdvice({ search }: { search: SearchDetail }) {
  const navigate = useNavigate();
  const userId = useUser().data?.id;
  const canContribute = useCanContribute() && search.role !== 'viewer';
  const person = search.missingPerson;
  const name = `${person.firstName} ${person.lastName}`;
  const lower = lowerThreshold(search.threshold);
  const searchAgain = () => {
    if (userId) {
      saveNewSearchDraft(userId, {
        caseId: person.id,
        mode: 'existing',
        videoIds: search.videos.filter((v) => v.kind === 'upload').map((v) => v.videoId),
        liveFeeds: [],
        settings: { preset: search.preset, priority: search.priority, threshold: lower },
      });
    }
    void navigate(`${paths.newSearch}?caseId=${person.id}`);
  };
  return (
    <Paper withBorder p="lg" radius="md" data-testid="not-found">
      <Stack gap="sm">
        <Title order={3}>{name} was not found in this footage</Title>
        <Text size="sm">
          No face in the footage scored at least {formatScore(search.threshold)}, this search's
          threshold. That does not prove {person.firstName} is not there: a face turned away, far
          from the camera or seen only for a moment can be missed. What helps:
        </Text>
        <List size="sm" spacing={4}>
          <List.Item>
            <b>Lower the threshold</b> to {formatScore(lower)}: more possible matches to check, and
            more mistakes among them.
          </List.Item>
          <List.Item>
            <b>Add photos</b> of {person.firstName}: recent ones, other angles and lighting, the
            face clearly visible.
          </List.Item>
          <List.Item>
            <b>Search other footage</b>: other cameras, times or places near where{' '}
            {person.firstName} was last seen.
          </List.Item>
          {search.preset !== 'thorough' && (
            <List.Item>
              <b>Choose the Thorough speed</b>: it looks at more frames and at smaller faces.
            </List.Item>
          )}
        </List>
        {canContribute && (
          <Group gap="sm" mt="xs">
            <Button onClick={searchAgain}>Search again at {formatScore(lower)}</Button>
            <Button component={Link} to={paths.case(person.id)} variant="default">
              Add photos
            </Button>
            <Button
              component={Link}
              to={`${paths.newSearch}?caseId=${person.id}`}
              variant="default"
            >
              New search
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
