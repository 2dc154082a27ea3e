import '@mantine/dropzone/styles.css';
import { Badge, Button, Card, Group, Loader, SimpleGrid, Stack, Text } from '@mantine/core';
import { Dropzone, IMAGE_MIME_TYPE } from '@mantine/dropzone';
import { useEffect, useRef, useState } from 'react';
import { ImageWithBoxes } from '../../../components/image-with-boxes';
import { errorMessage } from '../../../lib/api-client';
import type { Box } from '../../../lib/search-events';
import type { PhotoUploadResult } from '../api/types';
import { useUploadPhoto } from '../api/upload-photo';

interface PhotoItem {
  key: number;
  file: File;
  previewUrl: string;
  state: 'uploading' | 'done' | 'failed';
  result?: PhotoUploadResult;
  failure?: string;
}

const guidance: Record<string, string> = {
  NO_FACE_IN_PHOTO:
    'No face was found in this photo. Use a photo where the face is clearly visible.',
  MULTIPLE_FACES: 'This photo shows several people. Click the face of the missing person.',
  FACE_TOO_SMALL: 'The face is too small to recognise. Use a closer photo or a larger crop.',
  UNSUPPORTED_IMAGE: 'This file is not an image we can read. Use a JPEG, PNG or WebP photo.',
};

function boxesOf(item: PhotoItem): Box[] {
  if (item.result?.face) return [item.result.face.box];
  if (item.result?.error?.code === 'MULTIPLE_FACES')
    return item.result.faces?.map((f) => f.box) ?? [];
  return [];
}

/**
 * Drops reference photos on a case. Each photo is uploaded on its own, so each gets its own
 * answer: the face found (drawn on the preview) or why it cannot be used.
 */
export function PhotoUploader({
  caseId,
  onEnrolled,
}: {
  caseId: string;
  /** Told the id of each photo enrolled here, which this uploader already shows. */
  onEnrolled?: (photoId: string) => void;
}) {
  const [items, setItems] = useState<PhotoItem[]>([]);
  const nextKey = useRef(0);
  const upload = useUploadPhoto();
  const urls = useRef<string[]>([]);

  useEffect(() => {
    const created = urls.current;
    return () => created.forEach((url) => URL.revokeObjectURL(url));
  }, []);

  const update = (key: number, patch: Partial<PhotoItem>) =>
    setItems((current) => current.map((item) => (item.key === key ? { ...item, ...patch } : item)));

  const send = (key: number, file: File, faceIndex?: number) => {
    update(key, { state: 'uploading', failure: undefined });
    upload
      .mutateAsync({ caseId, file, faceIndex })
      .then((result) => {
        if (result.enrolled && result.id) onEnrolled?.(result.id);
        update(key, { state: 'done', result });
      })
      .catch((error: unknown) => update(key, { state: 'failed', failure: errorMessage(error) }));
  };

  const add = (files: File[]) => {
    const added = files.map((file) => {
      const previewUrl = URL.createObjectURL(file);
      urls.current.push(previewUrl);
      nextKey.current += 1;
      return { key: nextKey.current, file, previewUrl, state: 'uploading' as const };
    });
    setItems((current) => [...current, ...added]);
    for (const item of added) send(item.key, item.file);
  };

  return (
    <Stack>
      <Dropzone
        onDrop={add}
        accept={IMAGE_MIME_TYPE}
        maxSize={15 * 1024 * 1024}
        aria-label="Add photos of the missing person"
        inputProps={{ 'aria-label': 'Choose photos of the missing person' }}
      >
        <Stack align="center" gap={4} py="md" style={{ pointerEvents: 'none' }}>
          <Text fw={600}>Drop photos of the person here, or click to choose</Text>
          <Text size="sm" c="dimmed">
            Clear, front-facing photos work best. Several photos improve recognition.
          </Text>
        </Stack>
      </Dropzone>
      {items.length > 0 && (
        <SimpleGrid cols={{ base: 2, sm: 3, md: 4 }}>
          {items.map((item) => {
            const error = item.result?.error;
            const picking = error?.code === 'MULTIPLE_FACES';
            return (
              <Card key={item.key} withBorder padding="xs" data-testid="photo-preview">
                <ImageWithBoxes
                  src={item.previewUrl}
                  alt={item.file.name}
                  boxes={boxesOf(item)}
                  onPick={picking ? (index) => send(item.key, item.file, index) : undefined}
                />
                <Stack gap={4} mt="xs">
                  <Text size="xs" truncate title={item.file.name}>
                    {item.file.name}
                  </Text>
                  {item.state === 'uploading' && (
                    <>
                      <Group gap={6}>
                        <Loader size="xs" />
                        <Text size="xs">Looking for the face…</Text>
                      </Group>
                      <Text size="xs" c="gray.7" data-testid="photo-wait">
                        The first photo after the server starts takes up to 15 s: the face model is
                        loading.
                      </Text>
                    </>
                  )}
                  {item.state === 'done' && item.result?.enrolled && (
                    <Badge color="green" variant="light">
                      Face found
                    </Badge>
                  )}
                  {item.state === 'done' && error && (
                    <Text
                      size="xs"
                      c={picking ? 'yellow.9' : 'red'}
                      role="alert"
                      data-testid="photo-message"
                    >
                      {guidance[error.code] ?? error.message}
                    </Text>
                  )}
                  {item.state === 'failed' && (
                    <Text size="xs" c="red" role="alert" data-testid="photo-message">
                      {item.failure}
                    </Text>
                  )}
                  {(item.state === 'failed' || (item.state === 'done' && error)) && (
                    <Button
                      size="compact-xs"
                      variant="default"
                      aria-label={`Remove ${item.file.name}`}
                      onClick={() =>
                        setItems((current) => current.filter((i) => i.key !== item.key))
                      }
                    >
                      Remove
                    </Button>
                  )}
                </Stack>
              </Card>
            );
          })}
        </SimpleGrid>
      )}
    </Stack>
  );
}
