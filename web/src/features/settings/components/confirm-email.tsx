import { Alert, Button, Loader, Stack } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorMessage } from '../../../lib/api-client';
import { useConfirmEmail } from '../api/change-email';

/** The landing page of a confirmation link: opens it once and says what it did. */
export function ConfirmEmail() {
  const [searchParams] = useSearchParams();
  const token = searchParams.get('token') ?? '';
  const confirm = useConfirmEmail();
  const { mutate } = confirm;
  // A link works once: opening it a second time (React runs effects twice in development) would
  // answer "used" over the first answer.
  const opened = useRef(false);

  useEffect(() => {
    if (!token || opened.current) return;
    opened.current = true;
    mutate(token);
  }, [token, mutate]);

  if (!token || confirm.isError) {
    return (
      <Alert color="red" role="alert" title="This link does not work">
        {token ? errorMessage(confirm.error) : 'The link is incomplete.'} Ask for a new one from the
        settings page.
      </Alert>
    );
  }
  if (!confirm.data) return <Loader aria-label="Confirming" />;
  return (
    <Stack>
      <Alert color="green" role="status" title="Address confirmed">
        {confirm.data.purpose === 'account'
          ? `${confirm.data.email} is now the e-mail of your account.`
          : `${confirm.data.email} will receive the sighting alerts it was set up for.`}
      </Alert>
      <Button component={Link} to="/settings">
        Go to the settings
      </Button>
    </Stack>
  );
}
