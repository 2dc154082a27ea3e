import { useParams } from 'react-router';
import { VideoDetail } from '../../features/videos/components/video-detail';

export function VideoRoute() {
  const { videoId = '' } = useParams();
  return <VideoDetail key={videoId} videoId={videoId} />;
}
