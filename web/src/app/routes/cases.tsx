import { ContributeButton } from '../../components/layouts/contribute-button';
import { PageHeader } from '../../components/layouts/page-header';
import { CasesList } from '../../features/cases/components/cases-list';

export function CasesRoute() {
  return (
    <>
      <PageHeader
        title="Cases"
        description="The people you are looking for"
        actions={<ContributeButton>Open a case</ContributeButton>}
      />
      <CasesList />
    </>
  );
}
