import {
  Alert,
  Badge,
  Button,
  Group,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { ApiError, errorMessage } from '../../../lib/api-client';
import type { User } from '../../../lib/auth';
import { useChangeEmail, useRequestEmailVerification } from '../api/change-email';

/**
 * The account's e-mail: confirmed or not, and a change that needs the password and applies only
 * once the link mailed to the new address is opened.
 */
export function EmailForm({ user }: { user: User }) {
  const change = useChangeEmail();
  const verify = useRequestEmailVerification();
  const form = useForm({
    initialValues: { email: '', currentPassword: '' },
    validate: {
      email: (v) =>
        /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()) ? null : 'Enter a valid e-mail address',
      currentPassword: (v) => (v ? null : 'Enter your current password'),
    },
  });
  const submit = form.onSubmit((values) =>
    change.mutate(
      { email: values.email.trim(), currentPassword: values.currentPassword },
      {
        onSuccess: () => form.setFieldValue('currentPassword', ''),
        onError: (error) => {
          if (error instanceof ApiError && error.code === 'WRONG_PASSWORD')
            form.setFieldError('currentPassword', error.message);
          else if (error instanceof ApiError) form.setErrors(error.fieldErrors());
        },
      },
    ),
  );
  return (
    <form onSubmit={submit} noValidate aria-label="E-mail">
      <Stack>
        <Title order={3}>E-mail</Title>
        <Group gap="xs">
          <Text>{user.email}</Text>
          {user.emailVerified ? (
            <Badge color="green" variant="light">
              confirmed
            </Badge>
          ) : (
            <Badge color="yellow" variant="light">
              not confirmed
            </Badge>
          )}
        </Group>
        {!user.emailVerified && (
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              Alerts reach confirmed addresses only.
            </Text>
            <Button
              size="compact-sm"
              variant="light"
              loading={verify.isPending}
              disabled={verify.isSuccess}
              onClick={() => verify.mutate()}
            >
              {verify.isSuccess ? 'Link sent' : 'Send a confirmation link'}
            </Button>
          </Group>
        )}
        {change.isSuccess && (
          <Alert color="green" role="status" title="Check your new inbox">
            Open the link we sent to {change.variables.email} to finish the change. Until then your
            e-mail stays {user.email}.
          </Alert>
        )}
        {change.error &&
          !(change.error instanceof ApiError && change.error.code === 'WRONG_PASSWORD') && (
            <Alert color="red">{errorMessage(change.error)}</Alert>
          )}
        <TextInput label="New e-mail" type="email" {...form.getInputProps('email')} />
        <PasswordInput
          label="Current password"
          autoComplete="current-password"
          {...form.getInputProps('currentPassword')}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={change.isPending}>
            Change e-mail
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
