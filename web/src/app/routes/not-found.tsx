import { Button, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { usePageTitle } from '../../components/layouts/page-header';
import { paths } from '../../config/paths';

export function NotFoundRoute() {
  usePageTitle('Page not found');
  return (
    <Stack align="center" mt="xl" ta="center">
      <Title order={2}>This page does not exist</Title>
      <Text c="dimmed">The address may be mistyped, or the item was deleted.</Text>
      <Button component={Link} to={paths.home}>
        Back to the dashboard
      </Button>
    </Stack>
  );
}
