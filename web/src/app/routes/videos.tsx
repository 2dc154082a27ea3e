import { Button } from '@mantine/core';
import { Link } from 'react-router';
import { PageHeader } from '../../components/layouts/page-header';
import { paths } from '../../config/paths';
import { useCanContribute } from '../../lib/auth';
import { VideosList } from '../../features/videos/components/videos-list';

export function VideosRoute() {
  const canContribute = useCanContribute();
  return (
    <>
      <PageHeader
        title="Footage"
        description="Recorded videos and live camera feeds"
        actions={
          canContribute && (
            <Button component={Link} to={paths.newSearch}>
              Add footage
            </Button>
          )
        }
      />
      <VideosList />
    </>
  );
}
