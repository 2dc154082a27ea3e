import { ContributeButton } from '../../components/layouts/contribute-button';
import { PageHeader } from '../../components/layouts/page-header';
import { VideosList } from '../../features/videos/components/videos-list';

export function VideosRoute() {
  return (
    <>
      <PageHeader
        title="Footage"
        description="Recorded videos and live camera feeds"
        actions={<ContributeButton>Add footage</ContributeButton>}
      />
      <VideosList />
    </>
  );
}
