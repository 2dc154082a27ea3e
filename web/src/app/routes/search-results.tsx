import { useParams } from 'react-router';
import { SearchResults } from '../../features/searches/components/search-results';

export function SearchResultsRoute() {
  const { searchId = '' } = useParams();
  return <SearchResults key={searchId} searchId={searchId} />;
}
