import { Badge, Button, CloseButton, Group, Paper, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { VideoPlayer, type SeekRequest } from '../../../components/video/video-player';
import { formatScore, formatVideoTime, scoreColor } from '../../../lib/format';
import type { Appearance, SearchVideo } from '../../../lib/search-events';

interface ResultsPlayerProps {
  video: SearchVideo;
  /** The match being played; the player starts at its beginning. */
  appearance: Appearance;
  seek: SeekRequest;
  /** Every match shown in this video, as markers under the player. */
  appearances: Appearance[];
  onPlay: (appearance: Appearance) => void;
  onDetails: (appearance: Appearance) => void;
  onClose: () => void;
}

/** The full video, playing from the chosen match, with the face outlined while it is seen. */
export function ResultsPlayer({
  video,
  appearance,
  seek,
  appearances,
  onPlay,
  onDetails,
  onClose,
}: ResultsPlayerProps) {
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    panel.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [seek]);
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      ref={panel}
      maw={880}
      data-testid="results-player"
      aria-label={`${video.title}, playing from ${formatVideoTime(appearance.startMs)}`}
      component="section"
    >
      <Group justify="space-between" mb={6} wrap="nowrap">
        <Group gap="xs" style={{ minWidth: 0 }}>
          <Text fw={600} truncate>
            {video.title}
          </Text>
          <Text size="sm" c="gray.7">
            from {formatVideoTime(appearance.startMs)}
          </Text>
          <Badge color={scoreColor(appearance.bestScore)} variant="filled">
            {formatScore(appearance.bestScore)}
          </Badge>
        </Group>
        <CloseButton aria-label="Close the player" onClick={onClose} />
      </Group>
      <VideoPlayer
        key={video.videoId}
        src={video.kind === 'live' ? null : video.streamUrl}
        idleMessage="A live camera's picture is not kept: open the match's details for its clip."
        title={video.title}
        posterUrl={video.posterUrl}
        frameWidth={video.width}
        frameHeight={video.height}
        durationMs={video.durationMs}
        markers={appearances.map((a) => ({
          id: a.id,
          startMs: a.startMs,
          endMs: a.endMs,
          score: a.bestScore,
        }))}
        onMarkerClick={(id) => {
          const chosen = appearances.find((a) => a.id === id);
          if (chosen) onPlay(chosen);
        }}
        seek={seek}
        highlight={{ box: appearance.box, fromMs: appearance.startMs, toMs: appearance.endMs }}
      />
      <Button variant="subtle" size="compact-sm" mt={6} onClick={() => onDetails(appearance)}>
        Details of this match (clip and every frame)
      </Button>
    </Paper>
  );
}
