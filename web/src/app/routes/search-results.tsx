import { useParams } from 'react-router';
import { CaseFactsLine } from '../../features/cases/components/case-facts';
import { SearchResults } from '../../features/searches/components/search-results';

export function SearchResultsRoute() {
  const { searchId = '' } = useParams();
  return (
    <SearchResults
      key={searchId}
      searchId={searchId}
      personFacts={(caseId) => <CaseFactsLine caseId={caseId} />}
    />
  );
}
