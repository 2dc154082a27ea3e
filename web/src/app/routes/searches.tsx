import { ContributeButton } from '../../components/layouts/contribute-button';
import { PageHeader } from '../../components/layouts/page-header';
import { SearchesList } from '../../features/searches/components/searches-list';

export function SearchesRoute() {
  return (
    <>
      <PageHeader title="Searches" actions={<ContributeButton>New search</ContributeButton>} />
      <SearchesList />
    </>
  );
}
