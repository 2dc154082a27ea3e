import { Alert, Button, Group, Stack, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { ApiError, errorMessage } from '../../../lib/api-client';
import type { User } from '../../../lib/auth';
import { useUpdateProfile } from '../api/update-profile';

export function ProfileForm({ user }: { user: User }) {
  const update = useUpdateProfile();
  const form = useForm({
    initialValues: { displayName: user.displayName ?? '' },
    validate: {
      displayName: (v) => (v.length <= 100 ? null : 'At most 100 characters'),
    },
  });
  const submit = form.onSubmit((values) =>
    update.mutate(
      { displayName: values.displayName.trim() || null },
      {
        onSuccess: () => notifications.show({ color: 'green', message: 'Your profile is saved' }),
        onError: (error) => {
          if (error instanceof ApiError) form.setErrors(error.fieldErrors());
        },
      },
    ),
  );
  return (
    <form onSubmit={submit} noValidate aria-label="Profile">
      <Stack>
        <Title order={3}>Profile</Title>
        {update.error && <Alert color="red">{errorMessage(update.error)}</Alert>}
        <TextInput label="Username" value={user.username} readOnly disabled />
        <TextInput label="Display name" {...form.getInputProps('displayName')} />
        <Group justify="flex-end">
          <Button type="submit" loading={update.isPending}>
            Save profile
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
