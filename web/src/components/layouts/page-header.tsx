import { Group, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { ReactNode } from 'react';

/** The tab's title: the page first, so a row of tabs (and a screen reader) tells them apart. */
export function usePageTitle(page: string) {
  useDocumentTitle(`${page} · Missing Person Finder`);
}

export function PageHeader({
  title,
  documentTitle,
  description,
  actions,
}: {
  title: ReactNode;
  /** The tab's title when `title` is not plain text. */
  documentTitle?: string;
  description?: ReactNode;
  actions?: ReactNode;
}) {
  usePageTitle(documentTitle ?? (typeof title === 'string' ? title : ''));
  return (
    <Group justify="space-between" align="flex-start" mb="md" gap="sm">
      <Stack gap={2}>
        <Title order={2}>{title}</Title>
        {description && <Text c="dimmed">{description}</Text>}
      </Stack>
      {actions && <Group gap="xs">{actions}</Group>}
    </Group>
  );
}
