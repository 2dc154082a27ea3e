import { Alert, Anchor, Button, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { Link, useSearchParams } from 'react-router';
import { paths } from '../../../config/paths';
import { ApiError, errorMessage } from '../../../lib/api-client';
import { useConfirmPasswordReset } from '../api/confirm-password-reset';

export function ResetPasswordForm() {
  const [searchParams] = useSearchParams();
  const token = searchParams.get('token') ?? '';
  const confirm = useConfirmPasswordReset();
  const form = useForm({
    initialValues: { newPassword: '', confirmPassword: '' },
    validate: {
      newPassword: (value) => ([...value].length >= 10 ? null : 'Use at least 10 characters'),
      confirmPassword: (value, values) =>
        value === values.newPassword ? null : 'The passwords do not match',
    },
  });

  if (!token) {
    return (
      <Stack>
        <Alert color="red" role="alert">
          This link is incomplete. Open the link from the e-mail again, or ask for a new one.
        </Alert>
        <Anchor component={Link} to={paths.forgotPassword}>
          Ask for a new link
        </Anchor>
      </Stack>
    );
  }

  if (confirm.isSuccess) {
    return (
      <Stack>
        <Alert color="green" role="status" title="Password changed">
          Your new password is set. Sign in with it.
        </Alert>
        <Button component={Link} to={paths.login}>
          Sign in
        </Button>
      </Stack>
    );
  }

  const submit = form.onSubmit((values) =>
    confirm.mutate(
      { token, newPassword: values.newPassword },
      {
        onError: (error) => {
          if (error instanceof ApiError && error.code === 'WEAK_PASSWORD') {
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

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {confirm.error &&
          !(confirm.error instanceof ApiError && confirm.error.code === 'WEAK_PASSWORD') && (
            <Alert color="red" role="alert">
              {errorMessage(confirm.error)}{' '}
              <Anchor component={Link} to={paths.forgotPassword} size="sm">
                Ask for a new link
              </Anchor>
            </Alert>
          )}
        <PasswordInput
          label="New password"
          autoComplete="new-password"
          required
          autoFocus
          {...form.getInputProps('newPassword')}
        />
        <PasswordInput
          label="Repeat the new password"
          autoComplete="new-password"
          required
          {...form.getInputProps('confirmPassword')}
        />
        <Button type="submit" loading={confirm.isPending} fullWidth>
          Set the new password
        </Button>
      </Stack>
    </form>
  );
}
