import {
  Alert,
  Button,
  Checkbox,
  Group,
  List,
  PasswordInput,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { paths } from '../../../config/paths';
import { ApiError, errorMessage } from '../../../lib/api-client';
import { useForgetUser } from '../../../lib/auth';
import { exportUrl, useDeleteAccount } from '../api/delete-account';

/** "Download my data": a ZIP of everything kept about the account, streamed by the server. */
export function DownloadData() {
  const [withFootage, setWithFootage] = useState(false);
  return (
    <Stack>
      <Title order={3}>Your data</Title>
      <Text size="sm">
        Download everything kept about you as one ZIP file: your account, the cases you own with
        their photos, your footage&apos;s details, your searches with what they found, and your
        activity log.
      </Text>
      <Checkbox
        label="Include my footage files (they can be very large)"
        checked={withFootage}
        onChange={(event) => setWithFootage(event.currentTarget.checked)}
      />
      <Group justify="flex-end">
        <Button component="a" href={exportUrl(withFootage)} download variant="default">
          Download my data
        </Button>
      </Group>
    </Stack>
  );
}

/** The danger zone: deleting the account, confirmed with the password. */
export function DeleteAccount() {
  const remove = useDeleteAccount();
  const forgetUser = useForgetUser();
  const navigate = useNavigate();
  const form = useForm({
    initialValues: { password: '' },
    validate: { password: (v) => (v ? null : 'Enter your password to confirm') },
  });
  const submit = form.onSubmit(({ password }) =>
    remove.mutate(password, {
      onSuccess: () => {
        forgetUser();
        void navigate(`${paths.login}?accountDeleted=1`, { replace: true });
      },
      onError: (error) => {
        if (error instanceof ApiError && error.code === 'WRONG_PASSWORD') {
          form.setFieldError('password', error.message);
        }
      },
    }),
  );
  const inline = remove.error instanceof ApiError && remove.error.code === 'WRONG_PASSWORD';
  return (
    <form onSubmit={submit} noValidate aria-label="Delete my account">
      <Stack>
        <Title order={3} c="red">
          Delete my account
        </Title>
        <Text size="sm">This cannot be undone. When you delete your account:</Text>
        <List size="sm">
          <List.Item>
            Cases you share with others stay with them: each passes to its longest-standing editor
            (or, without one, its longest-standing member), who becomes its owner. Your searches in
            them are deleted.
          </List.Item>
          <List.Item>
            Cases no one else is a member of are deleted with their photos and searches.
          </List.Item>
          <List.Item>
            Your footage, live feeds, searches, sign-ins and API tokens are deleted, and the keys
            that encrypted them are destroyed.
          </List.Item>
          <List.Item>
            The activity log keeps what happened, but no longer your name, e-mail or address.
          </List.Item>
        </List>
        <Text size="sm">Download your data first if you want to keep a copy.</Text>
        {remove.error && !inline && <Alert color="red">{errorMessage(remove.error)}</Alert>}
        <PasswordInput
          label="Your password"
          autoComplete="current-password"
          {...form.getInputProps('password')}
        />
        <Group justify="flex-end">
          <Button type="submit" color="red" loading={remove.isPending}>
            Delete my account
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
