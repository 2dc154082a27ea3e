import {
  Anchor,
  Badge,
  Group,
  Pagination,
  SegmentedControl,
  Stack,
  Table,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/feedback/empty-state';
import { ErrorState } from '../../../components/feedback/error-state';
import { PageLoader } from '../../../components/feedback/page-loader';
import { paths } from '../../../config/paths';
import { formatBytes, formatDateTime, formatVideoTime } from '../../../lib/format';
import { useVideos } from '../api/get-videos';
import type { VideoStatus } from '../api/types';

const PAGE_SIZE = 20;
export const videoStatusColor: Record<VideoStatus, string> = {
  uploaded: 'gray',
  processing: 'blue',
  ready: 'green',
  failed: 'red',
  offline: 'orange',
};

export function VideosList() {
  const [q, setQ] = useState('');
  const [kind, setKind] = useState<'all' | 'upload' | 'live'>('all');
  const [page, setPage] = useState(1);
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const videos = useVideos({
    q: debouncedQ || undefined,
    kind: kind === 'all' ? undefined : kind,
    page,
    pageSize: PAGE_SIZE,
  });

  return (
    <Stack>
      <Group gap="sm" wrap="wrap">
        <TextInput
          placeholder="Search by title"
          aria-label="Search footage by title"
          value={q}
          onChange={(event) => {
            setQ(event.currentTarget.value);
            setPage(1);
          }}
          w={{ base: '100%', sm: 260 }}
        />
        <SegmentedControl
          aria-label="Kind of footage"
          value={kind}
          onChange={(value) => {
            setKind(value as 'all' | 'upload' | 'live');
            setPage(1);
          }}
          data={[
            { value: 'all', label: 'All' },
            { value: 'upload', label: 'Recorded' },
            { value: 'live', label: 'Live' },
          ]}
        />
      </Group>
      {videos.isPending && <PageLoader />}
      {videos.isError && <ErrorState error={videos.error} onRetry={() => void videos.refetch()} />}
      {videos.data && videos.data.items.length === 0 && (
        <EmptyState
          title={debouncedQ || kind !== 'all' ? 'No footage matches' : 'No footage yet'}
          description="Footage is added on the New search page."
        />
      )}
      {videos.data && videos.data.items.length > 0 && (
        <>
          <Table.ScrollContainer minWidth={560}>
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Title</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Length</Table.Th>
                  <Table.Th>Size</Table.Th>
                  <Table.Th>Added</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {videos.data.items.map((video) => (
                  <Table.Tr key={video.id}>
                    <Table.Td>
                      <Anchor component={Link} to={paths.video(video.id)}>
                        {video.title}
                      </Anchor>
                      {video.kind === 'live' && (
                        <Badge ml={6} size="xs" color="red">
                          live
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Badge color={videoStatusColor[video.status]} variant="light">
                        {video.status}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {video.durationMs ? formatVideoTime(video.durationMs) : '—'}
                    </Table.Td>
                    <Table.Td>{video.sizeBytes ? formatBytes(video.sizeBytes) : '—'}</Table.Td>
                    <Table.Td>{formatDateTime(video.createdAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {videos.data.total > PAGE_SIZE && (
            <Pagination
              value={page}
              onChange={setPage}
              total={Math.ceil(videos.data.total / PAGE_SIZE)}
            />
          )}
        </>
      )}
    </Stack>
  );
}
