import { useParams } from 'react-router';
import { SearchProgress } from '../../features/searches/components/search-progress';

export function SearchProgressRoute() {
  const { searchId = '' } = useParams();
  return <SearchProgress key={searchId} searchId={searchId} />;
}
