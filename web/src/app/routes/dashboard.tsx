import { Button, Grid, Stack } from '@mantine/core';
import { Link } from 'react-router';
import { PageHeader } from '../../components/layouts/page-header';
import { paths } from '../../config/paths';
import { useCanContribute, useUser } from '../../lib/auth';
import { RecentCases } from '../../features/cases/components/recent-cases';
import { ActiveSearches } from '../../features/dashboard/components/active-searches';
import { FirstRunGuide } from '../../features/dashboard/components/first-run-guide';
import { RecentSearches } from '../../features/dashboard/components/recent-searches';
import { StatsCards } from '../../features/dashboard/components/stats-cards';
import { SystemStatus } from '../../features/dashboard/components/system-status';

/**
 * The person's own work first: how to get started (until they have), their searches and open
 * cases, then the totals. How busy the server is sits in a small indicator, for admins only.
 */
export function DashboardRoute() {
  const user = useUser();
  const canContribute = useCanContribute();
  return (
    <Stack>
      <PageHeader
        title="Dashboard"
        description={`Welcome, ${user.data?.displayName ?? user.data?.username ?? ''}`}
        actions={
          <>
            {canContribute && (
              <Button component={Link} to={paths.newSearch} size="md">
                New search
              </Button>
            )}
            <SystemStatus />
          </>
        }
      />
      <FirstRunGuide />
      <Grid gutter="lg">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <ActiveSearches />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <RecentSearches />
        </Grid.Col>
      </Grid>
      <RecentCases />
      <StatsCards />
    </Stack>
  );
}
