import {
  AppShell,
  Burger,
  Button,
  Group,
  NavLink,
  Progress,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  NavLink as RouterNavLink,
  Outlet,
  ScrollRestoration,
  useNavigate,
  useNavigation,
} from 'react-router';
import { paths } from '../../config/paths';
import { useLogout, useUser, type User } from '../../lib/auth';

const links = [
  { to: paths.home, label: 'Dashboard', end: true },
  { to: paths.newSearch, label: 'New search', end: true },
  { to: paths.searches, label: 'Searches', end: true },
  { to: paths.cases, label: 'Cases', end: false },
  { to: paths.videos, label: 'Footage', end: false },
  { to: paths.settings, label: 'Settings', end: false },
];
const adminLink = { to: paths.admin, label: 'Administration', end: false };

/** Viewers start no searches; only admins administer. */
function linksFor(role: User['role'] | undefined) {
  if (role === 'admin') return [...links, adminLink];
  return role === 'viewer' ? links.filter((link) => link.to !== paths.newSearch) : links;
}

/**
 * While the next page's code loads (each page is its own file, fetched on first visit), a thin
 * bar under the header moves and screen readers hear "Loading page…".
 */
function PageLoading() {
  const loading = useNavigation().state === 'loading';
  return (
    <>
      {loading && (
        <Progress
          value={100}
          animated
          size="xs"
          radius={0}
          pos="fixed"
          top={56}
          left={0}
          right={0}
          style={{ zIndex: 200 }}
          aria-label="Loading page"
        />
      )}
      <VisuallyHidden role="status" aria-live="polite" data-testid="page-loading">
        {loading ? 'Loading page…' : ''}
      </VisuallyHidden>
    </>
  );
}

export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure();
  const user = useUser();
  const logout = useLogout();
  const navigate = useNavigate();

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <Title order={1} size="h4">
              Missing Person Finder
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" c="dimmed" visibleFrom="sm">
              {user.data?.displayName ?? user.data?.username}
            </Text>
            <Button
              variant="subtle"
              size="compact-sm"
              loading={logout.isPending}
              onClick={() =>
                logout.mutate(undefined, { onSettled: () => void navigate(paths.login) })
              }
            >
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        {linksFor(user.data?.role).map((link) => (
          <NavLink
            key={link.to}
            component={RouterNavLink}
            to={link.to}
            end={link.end}
            label={link.label}
            onClick={close}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <PageLoading />
        {/* A new page opens at its top (Back returns to where it was), not where the last one was left. */}
        <ScrollRestoration />
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
