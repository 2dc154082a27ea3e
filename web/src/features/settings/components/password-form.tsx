import { Alert, Button, Group, PasswordInput, Stack, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { ApiError, errorMessage } from '../../../lib/api-client';
import { useChangePassword } from '../api/change-password';

export function PasswordForm() {
  const change = useChangePassword();
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirmPassword: '' },
    validate: {
      currentPassword: (v) => (v ? null : 'Enter your current password'),
      newPassword: (v) => ([...v].length >= 10 ? null : 'Use at least 10 characters'),
      confirmPassword: (v, values) =>
        v === values.newPassword ? null : 'The passwords do not match',
    },
  });
  const submit = form.onSubmit((values) =>
    change.mutate(
      { currentPassword: values.currentPassword, newPassword: values.newPassword },
      {
        onSuccess: () => {
          form.reset();
          notifications.show({
            color: 'green',
            message: 'Password changed. Your other sessions were signed out.',
          });
        },
        onError: (error) => {
          if (!(error instanceof ApiError)) return;
          if (error.code === 'WRONG_PASSWORD') form.setFieldError('currentPassword', error.message);
          if (error.code === 'WEAK_PASSWORD') {
            const problems = (error.details.problems as { message: string }[] | undefined) ?? [];
            form.setFieldError(
              'newPassword',
              problems.map((p) => p.message).join('. ') || error.message,
            );
          }
        },
      },
    ),
  );
  const inline =
    change.error instanceof ApiError &&
    ['WRONG_PASSWORD', 'WEAK_PASSWORD'].includes(change.error.code);
  return (
    <form onSubmit={submit} noValidate aria-label="Change password">
      <Stack>
        <Title order={3}>Password</Title>
        {change.error && !inline && <Alert color="red">{errorMessage(change.error)}</Alert>}
        <PasswordInput
          label="Current password"
          autoComplete="current-password"
          {...form.getInputProps('currentPassword')}
        />
        <PasswordInput
          label="New password"
          autoComplete="new-password"
          {...form.getInputProps('newPassword')}
        />
        <PasswordInput
          label="Repeat the new password"
          autoComplete="new-password"
          {...form.getInputProps('confirmPassword')}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={change.isPending}>
            Change password
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
