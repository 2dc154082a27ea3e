import { Stack } from '@mantine/core';
import { useState } from 'react';
import { CasePhotos } from './case-photos';
import { PhotoUploader } from './photo-uploader';

/**
 * The case's reference photos and the drop zone for more. Photos added here stay in the
 * uploader's list (with their messages) and are not repeated in the gallery above it.
 */
export function CasePhotoManager({
  caseId,
  showEmpty,
  editable = true,
}: {
  caseId: string;
  showEmpty: boolean;
  /** False for a viewer of a shared case: the photos only, no uploader or remove buttons. */
  editable?: boolean;
}) {
  const [uploadedIds, setUploadedIds] = useState<string[]>([]);
  return (
    <Stack>
      <CasePhotos
        caseId={caseId}
        hiddenIds={uploadedIds}
        showEmpty={showEmpty}
        editable={editable}
      />
      {editable && (
        <PhotoUploader caseId={caseId} onEnrolled={(id) => setUploadedIds((ids) => [...ids, id])} />
      )}
    </Stack>
  );
}
