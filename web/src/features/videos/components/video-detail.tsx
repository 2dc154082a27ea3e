import {
  Alert,
  Badge,
  Button,
  Grid,
  Group,
  Paper,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ConfirmDelete } from '../../../components/feedback/confirm-delete';
import { ErrorState } from '../../../components/feedback/error-state';
import { PageLoader } from '../../../components/feedback/page-loader';
import { PageHeader } from '../../../components/layouts/page-header';
import { VideoPlayer } from '../../../components/video/video-player';
import { paths } from '../../../config/paths';
import { errorMessage } from '../../../lib/api-client';
import { formatBytes, formatDateTime, formatVideoTime } from '../../../lib/format';
import { useDeleteVideo } from '../api/delete-video';
import { useVideo } from '../api/get-video';
import type { Video } from '../api/types';
import { useUpdateVideo } from '../api/update-video';
import { videoStatusColor } from './videos-list';

function EditVideo({ video, onDone }: { video: Video; onDone: () => void }) {
  const update = useUpdateVideo();
  const form = useForm({
    initialValues: { title: video.title, description: video.description ?? '' },
    validate: { title: (v) => (v.trim() ? null : 'Give the footage a title') },
  });
  return (
    <form
      onSubmit={form.onSubmit((values) =>
        update.mutate(
          {
            id: video.id,
            input: { title: values.title.trim(), description: values.description.trim() || null },
          },
          { onSuccess: onDone },
        ),
      )}
      noValidate
    >
      <Stack>
        {update.error && <Alert color="red">{errorMessage(update.error)}</Alert>}
        <TextInput label="Title" required {...form.getInputProps('title')} />
        <Textarea label="Description" autosize minRows={2} {...form.getInputProps('description')} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending}>
            Save changes
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <Group justify="space-between" gap="xs">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{value}</Text>
    </Group>
  );
}

export function VideoDetail({ videoId }: { videoId: string }) {
  const video = useVideo(videoId);
  const remove = useDeleteVideo();
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  if (video.isPending) return <PageLoader />;
  if (video.isError) return <ErrorState error={video.error} onRetry={() => void video.refetch()} />;
  const v = video.data;
  const preparing = v.playback.status === 'pending' || v.playback.status === 'processing';

  return (
    <Stack>
      <PageHeader
        title={
          <Group gap="sm">
            {v.title}
            <Badge color={videoStatusColor[v.status]}>{v.status}</Badge>
            {!v.owned && (
              <Badge color="grape" variant="outline">
                Shared with you
              </Badge>
            )}
          </Group>
        }
        description={v.description ?? undefined}
        actions={
          // Footage stays its uploader's: members of a case that uses it only watch it.
          v.owned && (
            <>
              {!editing && (
                <Button variant="default" onClick={() => setEditing(true)}>
                  Edit
                </Button>
              )}
              <ConfirmDelete
                what={`“${v.title}”`}
                consequence="The file and the matches found in it are deleted."
                pending={remove.isPending}
                error={remove.error}
                onConfirm={() => remove.mutateAsync(v.id).then(() => navigate(paths.videos))}
              />
            </>
          )
        }
      />
      <Grid>
        <Grid.Col span={{ base: 12, md: 8 }}>
          {preparing && (
            <Alert color="blue" mb="sm">
              Preparing a copy that plays in every browser
              {v.playback.progress !== null && ` (${Math.round(v.playback.progress * 100)}%)`}…
            </Alert>
          )}
          {v.error && (
            <Alert color="red" mb="sm" title={v.error.code}>
              {v.error.message ?? 'This video cannot be used.'}
            </Alert>
          )}
          {v.streamUrl ? (
            <VideoPlayer
              src={v.streamUrl}
              title={v.title}
              posterUrl={v.posterUrl}
              frameWidth={v.width}
              frameHeight={v.height}
              durationMs={v.durationMs}
              live={v.kind === 'live'}
            />
          ) : (
            <Alert color="gray">No playable stream for this footage yet.</Alert>
          )}
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Paper withBorder p="md" radius="md">
            {editing ? (
              <EditVideo video={v} onDone={() => setEditing(false)} />
            ) : (
              <Stack gap={6}>
                <Fact label="Kind" value={v.kind === 'live' ? 'Live feed' : 'Recorded'} />
                {v.sourceUrl && <Fact label="Source" value={v.sourceUrl} />}
                <Fact label="Length" value={v.durationMs ? formatVideoTime(v.durationMs) : '—'} />
                <Fact label="Picture" value={v.width ? `${v.width}×${v.height}` : '—'} />
                <Fact
                  label="Frame rate"
                  value={v.fps ? `${Math.round(v.fps * 100) / 100} fps` : '—'}
                />
                <Fact label="Codec" value={v.codec ?? '—'} />
                <Fact label="Size" value={v.sizeBytes ? formatBytes(v.sizeBytes) : '—'} />
                <Fact label="Added" value={formatDateTime(v.createdAt)} />
              </Stack>
            )}
          </Paper>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
