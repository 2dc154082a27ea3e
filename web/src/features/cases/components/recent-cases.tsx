import { Anchor, Group, Stack, Title } from '@mantine/core';
import { Link } from 'react-router';
import { DataList } from '../../../components/data-list/data-list';
import { ContributeButton } from '../../../components/layouts/contribute-button';
import { paths } from '../../../config/paths';
import { useCases } from '../api/get-cases';
import { caseColumns } from './cases-list';

/** The people still missing, newest first, for the dashboard; the rest are on the Cases page. */
export function RecentCases({ limit = 5 }: { limit?: number }) {
  const cases = useCases({ status: 'missing', page: 1, pageSize: limit });
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={3}>Open cases</Title>
        <Anchor component={Link} to={paths.cases} size="sm">
          All cases
        </Anchor>
      </Group>
      <DataList
        label="Open cases"
        query={cases}
        columns={caseColumns}
        minWidth={520}
        empty={{
          title: 'No open case',
          description: 'Open a case for each person you are looking for.',
          action: <ContributeButton variant="default">Open a case</ContributeButton>,
        }}
      />
    </Stack>
  );
}
