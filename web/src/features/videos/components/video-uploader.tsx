import '@mantine/dropzone/styles.css';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  Progress,
  Stack,
  Text,
} from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../../../lib/api-client';
import { formatBytes, formatVideoTime } from '../../../lib/format';
import { UploadCancelledError } from '../../../lib/upload';
import type { Video } from '../api/types';
import { uploadVideo } from '../api/upload-video';
import { videoKeys } from '../api/video-keys';

interface UploadItem {
  key: number;
  file: File;
  state: 'uploading' | 'processing' | 'done' | 'failed' | 'cancelled';
  loaded: number;
  total: number;
  /** Bytes per second since the upload started. */
  speed: number;
  video?: Video;
  failure?: string;
  /** The same file is already in the library as this video. */
  existingId?: string;
  cancel?: () => void;
}

const titleOf = (file: File) =>
  file.name
    .replace(/\.[^.]+$/, '')
    .replace(/[_-]+/g, ' ')
    .trim() || file.name;

interface VideoUploaderProps {
  /** A video to use: just uploaded, or the library's copy of a file uploaded before. */
  onUploaded: (video: Pick<Video, 'id'>) => void;
  onRemoved: (videoId: string) => void;
}

const existingVideoId = (error: unknown) =>
  error instanceof ApiError &&
  error.code === 'DUPLICATE_VIDEO' &&
  typeof error.details.videoId === 'string'
    ? error.details.videoId
    : undefined;

/** Several videos at once, each with its own byte progress, speed and a Cancel button. */
export function VideoUploader({ onUploaded, onRemoved }: VideoUploaderProps) {
  const [items, setItems] = useState<UploadItem[]>([]);
  const [rejected, setRejected] = useState<string[]>([]);
  const nextKey = useRef(0);
  const queryClient = useQueryClient();
  const cancels = useRef(new Map<number, () => void>());

  useEffect(() => {
    const pending = cancels.current;
    return () => pending.forEach((cancel) => cancel());
  }, []);

  const update = (key: number, patch: Partial<UploadItem>) =>
    setItems((current) => current.map((item) => (item.key === key ? { ...item, ...patch } : item)));

  const start = (files: File[]) => {
    for (const file of files) {
      nextKey.current += 1;
      const key = nextKey.current;
      const startedAt = Date.now();
      const upload = uploadVideo(file, titleOf(file), ({ loaded, total }) => {
        const seconds = (Date.now() - startedAt) / 1000;
        update(key, {
          loaded,
          total,
          speed: seconds > 0 ? loaded / seconds : 0,
          state: loaded >= total ? 'processing' : 'uploading',
        });
      });
      const cancel = () => upload.cancel();
      cancels.current.set(key, cancel);
      setItems((current) => [
        ...current,
        { key, file, state: 'uploading', loaded: 0, total: file.size, speed: 0, cancel },
      ]);
      upload.result
        .then((video) => {
          update(key, { state: 'done', video, loaded: file.size, total: file.size });
          onUploaded(video);
          void queryClient.invalidateQueries({ queryKey: videoKeys.lists() });
        })
        .catch((error: unknown) =>
          update(
            key,
            error instanceof UploadCancelledError
              ? { state: 'cancelled' }
              : {
                  state: 'failed',
                  failure: errorMessage(error),
                  existingId: existingVideoId(error),
                },
          ),
        )
        .finally(() => cancels.current.delete(key));
    }
  };

  const remove = (item: UploadItem) => {
    setItems((current) => current.filter((i) => i.key !== item.key));
    const id = item.video?.id ?? (item.state === 'done' ? item.existingId : undefined);
    if (id) onRemoved(id);
  };

  return (
    <Stack>
      <Dropzone
        onDrop={(files) => {
          setRejected([]);
          start(files);
        }}
        onReject={(refused) => setRejected(refused.map((r) => r.file.name))}
        accept={{ 'video/*': [] }}
        multiple
        aria-label="Add videos"
        inputProps={{ 'aria-label': 'Choose video files' }}
      >
        <Stack align="center" gap={4} py="md" style={{ pointerEvents: 'none' }}>
          <Text fw={600}>Drop recorded footage here, or click to choose</Text>
          <Text size="sm" c="dimmed">
            Several files at once; MP4, MOV, MKV, AVI and most camera exports.
          </Text>
        </Stack>
      </Dropzone>
      {rejected.length > 0 && (
        <Alert color="red" role="alert" withCloseButton onClose={() => setRejected([])}>
          {rejected.join(', ')} {rejected.length === 1 ? 'is' : 'are'} not a video: drop recorded
          footage (MP4, MOV, MKV, AVI…).
        </Alert>
      )}
      {items.map((item) => {
        const percent = item.total > 0 ? (item.loaded / item.total) * 100 : 0;
        return (
          <Paper key={item.key} withBorder p="sm" radius="md" data-testid="video-upload">
            <Group justify="space-between" wrap="nowrap" mb={6}>
              <Text size="sm" fw={500} truncate>
                {item.file.name}
              </Text>
              <Group gap={6} wrap="nowrap">
                {item.state === 'uploading' && (
                  <Button
                    size="compact-xs"
                    variant="light"
                    color="red"
                    onClick={() => item.cancel?.()}
                  >
                    Cancel
                  </Button>
                )}
                {item.state === 'processing' && <Badge variant="light">Checking the video…</Badge>}
                {item.state === 'done' && !item.video && item.existingId && (
                  <Badge color="green" variant="light">
                    Using the copy already in the library
                  </Badge>
                )}
                {item.state === 'done' && item.video && (
                  <Badge color="green" variant="light">
                    Ready ·{' '}
                    {item.video.durationMs ? formatVideoTime(item.video.durationMs) : 'added'}
                  </Badge>
                )}
                {item.state === 'cancelled' && (
                  <Badge color="gray" variant="light">
                    Upload cancelled
                  </Badge>
                )}
                {item.state === 'failed' && item.existingId && (
                  <Button
                    size="compact-xs"
                    variant="light"
                    onClick={() => {
                      const id = item.existingId!;
                      update(item.key, { state: 'done', loaded: item.total, failure: undefined });
                      onUploaded({ id });
                    }}
                  >
                    Use the existing video
                  </Button>
                )}
                {item.state !== 'uploading' && item.state !== 'processing' && (
                  <ActionIcon
                    variant="subtle"
                    size="sm"
                    aria-label={`Remove ${item.file.name} from this search`}
                    onClick={() => remove(item)}
                  >
                    ✕
                  </ActionIcon>
                )}
              </Group>
            </Group>
            <Progress
              value={
                item.state === 'cancelled' ? percent : item.state === 'uploading' ? percent : 100
              }
              color={
                item.state === 'failed'
                  ? 'red'
                  : item.state === 'cancelled'
                    ? 'gray'
                    : item.state === 'done'
                      ? 'green'
                      : 'blue'
              }
              animated={item.state === 'processing'}
              aria-label={`Upload of ${item.file.name}`}
              data-testid="upload-progress"
              data-percent={Math.round(percent)}
            />
            <Text
              size="xs"
              c={item.state === 'failed' ? 'red' : 'dimmed'}
              mt={4}
              role={item.state === 'failed' ? 'alert' : undefined}
            >
              {item.state === 'failed'
                ? item.failure
                : `${formatBytes(item.loaded)} of ${formatBytes(item.total)} (${Math.round(percent)}%)` +
                  (item.state === 'uploading' && item.speed > 0
                    ? ` · ${formatBytes(item.speed)}/s`
                    : '')}
            </Text>
          </Paper>
        );
      })}
    </Stack>
  );
}
