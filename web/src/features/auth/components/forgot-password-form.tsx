import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { Link } from 'react-router';
import { paths } from '../../../config/paths';
import { errorMessage } from '../../../lib/api-client';
import { useRequestPasswordReset } from '../api/request-password-reset';

export function ForgotPasswordForm() {
  const reset = useRequestPasswordReset();
  const form = useForm({
    initialValues: { email: '' },
    validate: {
      email: (value) =>
        /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim()) ? null : 'Enter a valid e-mail address',
    },
  });

  if (reset.isSuccess) {
    return (
      <Stack>
        <Alert color="green" role="status" title="Check your e-mail">
          If an account uses {form.values.email.trim()}, a link to choose a new password is on its
          way. The link works once and expires within an hour.
        </Alert>
        <Anchor component={Link} to={paths.login} size="sm">
          Back to sign in
        </Anchor>
      </Stack>
    );
  }

  return (
    <form onSubmit={form.onSubmit((values) => reset.mutate(values.email.trim()))} noValidate>
      <Stack>
        <Text size="sm" c="dimmed">
          Enter the e-mail address of your account and we will send you a link to choose a new
          password.
        </Text>
        {reset.error && (
          <Alert color="red" role="alert">
            {errorMessage(reset.error)}
          </Alert>
        )}
        <TextInput
          label="E-mail"
          type="email"
          autoComplete="email"
          required
          autoFocus
          {...form.getInputProps('email')}
        />
        <Button type="submit" loading={reset.isPending} fullWidth>
          Send the link
        </Button>
        <Anchor component={Link} to={paths.login} size="sm">
          Back to sign in
        </Anchor>
      </Stack>
    </form>
  );
}
