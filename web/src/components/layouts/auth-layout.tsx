import { Center, Container, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { usePageTitle } from './page-header';

export function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  usePageTitle(title);
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Container size={440} w="100%" p={0}>
        <Stack gap="xs" mb="md" ta="center">
          <Text fw={700} c="blue.9">
            Missing Person Finder
          </Text>
          <Title order={1} size="h2">
            {title}
          </Title>
        </Stack>
        <Paper withBorder shadow="sm" p="lg" radius="md">
          {children}
        </Paper>
      </Container>
    </Center>
  );
}
