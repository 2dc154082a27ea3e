import { Anchor, Badge } from '@mantine/core';
import { Link } from 'react-router';
import {
  DataList,
  StatusBadge,
  type DataListColumn,
} from '../../../components/data-list/data-list';
import {
  ALL,
  emptyListAction,
  SegmentFilter,
  TextFilter,
  useListFilters,
} from '../../../components/data-list/list-filters';
import { ContributeButton } from '../../../components/layouts/contribute-button';
import { paths } from '../../../config/paths';
import { formatBytes, formatDateTime, formatVideoTime } from '../../../lib/format';
import { useVideos } from '../api/get-videos';
import type { Video, VideoStatus } from '../api/types';

const PAGE_SIZE = 20;
export const videoStatusColor: Record<VideoStatus, string> = {
  uploaded: 'gray',
  processing: 'blue',
  ready: 'green',
  failed: 'red',
  offline: 'orange',
};

const kindOptions = [
  { value: ALL, label: 'All' },
  { value: 'upload', label: 'Recorded' },
  { value: 'live', label: 'Live' },
] as const;

const columns: DataListColumn<Video>[] = [
  {
    header: 'Title',
    cell: (video) => (
      <>
        <Anchor component={Link} to={paths.video(video.id)}>
          {video.title}
        </Anchor>
        {video.kind === 'live' && (
          <Badge ml={6} size="xs" color="red">
            live
          </Badge>
        )}
      </>
    ),
  },
  {
    header: 'Status',
    cell: (video) => <StatusBadge status={video.status} colors={videoStatusColor} />,
  },
  {
    header: 'Length',
    cell: (video) => (video.durationMs ? formatVideoTime(video.durationMs) : '—'),
  },
  { header: 'Size', cell: (video) => (video.sizeBytes ? formatBytes(video.sizeBytes) : '—') },
  { header: 'Added', cell: (video) => formatDateTime(video.createdAt) },
];

export function VideosList() {
  const list = useListFilters<{ q: string; kind: typeof ALL | Video['kind'] }>(
    { q: '', kind: ALL },
    PAGE_SIZE,
  );
  const videos = useVideos(list.params);

  return (
    <DataList
      label="Footage"
      query={videos}
      columns={columns}
      minWidth={560}
      empty={{
        title: list.isFiltered ? 'No footage matches' : 'No footage yet',
        description: list.isFiltered
          ? 'No footage has this title or kind.'
          : 'Footage is added on the New search page.',
        action: emptyListAction(list, <ContributeButton>Add footage</ContributeButton>),
      }}
      paging={list.paging}
      filters={
        <>
          <TextFilter
            label="Search footage by title"
            placeholder="Search by title"
            {...list.bind('q')}
          />
          <SegmentFilter label="Kind of footage" {...list.bind('kind')} options={kindOptions} />
        </>
      }
    />
  );
}
