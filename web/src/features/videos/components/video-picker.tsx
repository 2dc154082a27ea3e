import { MultiSelect } from '@mantine/core';
import { formatVideoTime } from '../../../lib/format';
import { useVideos } from '../api/get-videos';

interface VideoPickerProps {
  value: string[];
  onChange: (videoIds: string[]) => void;
}

/** Adds footage that is already in the library to a search. */
export function VideoPicker({ value, onChange }: VideoPickerProps) {
  const videos = useVideos({ pageSize: 100 });
  const data =
    videos.data?.items
      .filter((video) => video.status !== 'failed')
      .map((video) => ({
        value: video.id,
        label:
          video.kind === 'live'
            ? `${video.title} (live)`
            : `${video.title}${video.durationMs ? ` · ${formatVideoTime(video.durationMs)}` : ''}`,
      })) ?? [];
  return (
    <MultiSelect
      label="Footage already in the library"
      placeholder={videos.isPending ? 'Loading footage…' : 'Pick videos'}
      data={data}
      value={value.filter((id) => data.some((d) => d.value === id))}
      onChange={(picked) =>
        onChange([...value.filter((id) => !data.some((d) => d.value === id)), ...picked])
      }
      searchable
      clearable
      nothingFoundMessage="No footage with this name"
      error={videos.isError ? 'The footage could not be loaded' : undefined}
    />
  );
}
