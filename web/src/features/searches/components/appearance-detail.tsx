import { Badge, Group, Image, Modal, ScrollArea, SimpleGrid, Stack, Text } from '@mantine/core';
import { ErrorState } from '../../../components/feedback/error-state';
import { PageLoader } from '../../../components/feedback/page-loader';
import { formatScore, formatVideoTime, scoreColor } from '../../../lib/format';
import type { Appearance } from '../../../lib/search-events';
import { useAppearance } from '../api/get-appearance';

interface AppearanceDetailProps {
  searchId: string;
  appearance: Appearance | null;
  videoTitle: string;
  onClose: () => void;
}

/** One appearance: its clip (or best frame) and every detection that makes it up. */
export function AppearanceDetail({
  searchId,
  appearance,
  videoTitle,
  onClose,
}: AppearanceDetailProps) {
  const detail = useAppearance(searchId, appearance?.id ?? null);
  return (
    <Modal
      opened={appearance !== null}
      onClose={onClose}
      size="xl"
      closeButtonProps={{ 'aria-label': 'Close' }}
      title={
        appearance && (
          <Group gap="xs">
            <Text fw={600}>
              {videoTitle}: {formatVideoTime(appearance.startMs)} –{' '}
              {formatVideoTime(appearance.endMs)}
            </Text>
            <Badge color={scoreColor(appearance.bestScore)}>
              {formatScore(appearance.bestScore)}
            </Badge>
          </Group>
        )
      }
    >
      {appearance && (
        <Stack>
          {appearance.clipUrl ? (
            <video
              src={appearance.clipUrl}
              controls
              autoPlay
              muted
              playsInline
              poster={appearance.frameUrl}
              style={{ width: '100%', background: '#000', borderRadius: 4 }}
              aria-label="Clip of this appearance"
            />
          ) : (
            <Image src={appearance.frameUrl} alt="Best frame of this appearance" radius="sm" />
          )}
          <Text size="sm">
            Best match at {formatVideoTime(appearance.bestTimeMs, true)}, seen in{' '}
            {appearance.detectionCount} analysed frame{appearance.detectionCount === 1 ? '' : 's'}.
          </Text>
          {detail.isPending && <PageLoader />}
          {detail.isError && <ErrorState error={detail.error} />}
          {detail.data && (
            <ScrollArea.Autosize mah={260}>
              <SimpleGrid cols={{ base: 3, sm: 6 }} spacing="xs">
                {detail.data.detections.map((detection) => (
                  <Stack key={detection.id} gap={2} align="center">
                    <Image src={detection.faceUrl} alt="" w={72} h={72} radius="sm" fit="cover" />
                    <Text size="xs">{formatVideoTime(detection.timeMs, true)}</Text>
                    <Text size="xs" c="dimmed">
                      {formatScore(detection.confidence)}
                    </Text>
                  </Stack>
                ))}
              </SimpleGrid>
            </ScrollArea.Autosize>
          )}
        </Stack>
      )}
    </Modal>
  );
}
