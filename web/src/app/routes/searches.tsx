import { Button } from '@mantine/core';
import { Link } from 'react-router';
import { PageHeader } from '../../components/layouts/page-header';
import { paths } from '../../config/paths';
import { useCanContribute } from '../../lib/auth';
import { SearchesList } from '../../features/searches/components/searches-list';

export function SearchesRoute() {
  const canContribute = useCanContribute();
  return (
    <>
      <PageHeader
        title="Searches"
        actions={
          canContribute && (
            <Button component={Link} to={paths.newSearch}>
              New search
            </Button>
          )
        }
      />
      <SearchesList />
    </>
  );
}
