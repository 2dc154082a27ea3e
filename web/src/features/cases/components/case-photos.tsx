import { ActionIcon, Card, Group, SimpleGrid, Text, Tooltip } from '@mantine/core';
import { EmptyState } from '../../../components/feedback/empty-state';
import { ErrorState } from '../../../components/feedback/error-state';
import { PageLoader } from '../../../components/feedback/page-loader';
import { ImageWithBoxes } from '../../../components/image-with-boxes';
import { useDeletePhoto } from '../api/delete-photo';
import { usePhotos } from '../api/get-photos';

/** The enrolled reference photos of a case, each with its face outlined. */
export function CasePhotos({
  caseId,
  hiddenIds = [],
  showEmpty = true,
  editable = true,
}: {
  caseId: string;
  /** False for a viewer of a shared case: no remove buttons. */
  editable?: boolean;
  /** Photos shown elsewhere on the page (just uploaded), left out here. */
  hiddenIds?: string[];
  showEmpty?: boolean;
}) {
  const photos = usePhotos(caseId);
  const remove = useDeletePhoto();
  if (photos.isPending) return <PageLoader />;
  if (photos.isError)
    return <ErrorState error={photos.error} onRetry={() => void photos.refetch()} />;
  const shown = photos.data.items.filter((photo) => !hiddenIds.includes(photo.id));
  if (photos.data.items.length === 0) {
    if (!showEmpty) return null;
    return (
      <EmptyState
        title="No reference photo yet"
        description="A search needs at least one photo in which the face was found."
      />
    );
  }
  if (shown.length === 0) return null;
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, md: 5 }}>
      {shown.map((photo) => (
        <Card key={photo.id} withBorder padding="xs">
          <ImageWithBoxes
            src={photo.imageUrl}
            alt={photo.originalName ?? 'Reference photo'}
            boxes={[photo.face.box]}
            imageWidth={photo.width}
            imageHeight={photo.height}
          />
          <Group justify="space-between" wrap="nowrap" gap={4} mt={6}>
            <Text size="xs" truncate>
              {photo.originalName ?? 'photo'}
              {photo.quality !== null && ` · quality ${Math.round(photo.quality * 100)}%`}
            </Text>
            {editable && (
              <Tooltip label="Remove this photo">
                <ActionIcon
                  variant="subtle"
                  color="red"
                  size="sm"
                  aria-label={`Remove photo ${photo.originalName ?? ''}`}
                  loading={remove.isPending && remove.variables.photoId === photo.id}
                  onClick={() => remove.mutate({ caseId, photoId: photo.id })}
                >
                  ✕
                </ActionIcon>
              </Tooltip>
            )}
          </Group>
        </Card>
      ))}
    </SimpleGrid>
  );
}
