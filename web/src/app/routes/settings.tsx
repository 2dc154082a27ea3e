import { Grid, Paper, Stack } from '@mantine/core';
import { PageLoader } from '../../components/feedback/page-loader';
import { PageHeader } from '../../components/layouts/page-header';
import { useUser } from '../../lib/auth';
import { ApiTokens } from '../../features/settings/components/api-tokens';
import { DeleteAccount, DownloadData } from '../../features/settings/components/account-data';
import { EmailForm } from '../../features/settings/components/email-form';
import { PasswordForm } from '../../features/settings/components/password-form';
import { ProfileForm } from '../../features/settings/components/profile-form';
import { Sessions } from '../../features/settings/components/sessions';

export function SettingsRoute() {
  const user = useUser();
  if (!user.data) return <PageLoader />;
  return (
    <Stack>
      <PageHeader title="Settings" description="Your account" />
      <Grid>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Paper withBorder p="md" radius="md">
            <ProfileForm user={user.data} />
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Paper withBorder p="md" radius="md">
            <EmailForm user={user.data} />
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Paper withBorder p="md" radius="md">
            <PasswordForm />
          </Paper>
        </Grid.Col>
        <Grid.Col span={12}>
          <Paper withBorder p="md" radius="md">
            <Sessions />
          </Paper>
        </Grid.Col>
        <Grid.Col span={12}>
          <Paper withBorder p="md" radius="md">
            <ApiTokens />
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Paper withBorder p="md" radius="md">
            <DownloadData />
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Paper
            withBorder
            p="md"
            radius="md"
            style={{ borderColor: 'var(--mantine-color-red-6)' }}
          >
            <DeleteAccount />
          </Paper>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
