import { Button } from '@mantine/core';
import { Link } from 'react-router';
import { PageHeader } from '../../components/layouts/page-header';
import { paths } from '../../config/paths';
import { useCanContribute } from '../../lib/auth';
import { CasesList } from '../../features/cases/components/cases-list';

export function CasesRoute() {
  const canContribute = useCanContribute();
  return (
    <>
      <PageHeader
        title="Cases"
        description="The people you are looking for"
        actions={
          canContribute && (
            <Button component={Link} to={paths.newSearch}>
              Open a case
            </Button>
          )
        }
      />
      <CasesList />
    </>
  );
}
