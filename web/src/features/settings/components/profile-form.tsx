import { Alert, Button, Group, Stack, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { ApiError, errorMessage } from '../../../lib/api-client';
import type { User } from '../../../lib/auth';
import { useUpdateProfile } from '../api/update-profile';

export function ProfileForm({ user }: { user: User }) {
  const update = useUpdateProfile();
  const form = useForm({
    initialValues: { email: user.email, displayName: user.displayName ?? '' },
    validate: {
      email: (v) =>
        /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()) ? null : 'Enter a valid e-mail address',
      displayName: (v) => (v.length <= 100 ? null : 'At most 100 characters'),
    },
  });
  const submit = form.onSubmit((values) =>
    update.mutate(
      { email: values.email.trim(), displayName: values.displayName.trim() || null },
      {
        onSuccess: () => notifications.show({ color: 'green', message: 'Your profile is saved' }),
        onError: (error) => {
          if (error instanceof ApiError && error.code === 'EMAIL_TAKEN')
            form.setFieldError('email', error.message);
          else if (error instanceof ApiError) form.setErrors(error.fieldErrors());
        },
      },
    ),
  );
  return (
    <form onSubmit={submit} noValidate aria-label="Profile">
      <Stack>
        <Title order={3}>Profile</Title>
        {update.error &&
          !(update.error instanceof ApiError && update.error.code === 'EMAIL_TAKEN') && (
            <Alert color="red">{errorMessage(update.error)}</Alert>
          )}
        <TextInput label="Username" value={user.username} readOnly disabled />
        <TextInput label="Display name" {...form.getInputProps('displayName')} />
        <TextInput label="E-mail" type="email" {...form.getInputProps('email')} />
        <Group justify="flex-end">
          <Button type="submit" loading={update.isPending}>
            Save profile
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
