import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { PageLoader } from '../../../components/feedback/page-loader';
import { paths } from '../../../config/paths';
import { ApiError, errorMessage } from '../../../lib/api-client';
import { useLogin } from '../../../lib/auth';
import { useAcceptInvitation, useInvitation } from '../api/invitation';
import { NewPasswordInputs } from './new-password-inputs';
import { validatePassword, validateUsername } from './register-form';

/** The page an invitation e-mail links to: choose a username and password, then sign in. */
export function AcceptInvitationForm() {
  const [searchParams] = useSearchParams();
  const token = searchParams.get('token') ?? '';
  const invitation = useInvitation(token);
  const accept = useAcceptInvitation();
  const login = useLogin();
  const navigate = useNavigate();
  const form = useForm({
    initialValues: { username: '', password: '', confirmPassword: '' },
    validateInputOnBlur: true,
    validate: {
      username: validateUsername,
      password: (value, values) => validatePassword(value, values.username),
      confirmPassword: (value, values) =>
        value === values.password ? null : 'The passwords do not match',
    },
  });

  if (!token || invitation.isError) {
    return (
      <Stack>
        <Alert color="red" role="alert">
          {invitation.error
            ? errorMessage(invitation.error)
            : 'This link is incomplete. Open the link from the e-mail again.'}{' '}
          Ask whoever invited you for a new invitation.
        </Alert>
        <Anchor component={Link} to={paths.login}>
          Sign in
        </Anchor>
      </Stack>
    );
  }
  if (invitation.isPending) return <PageLoader />;

  const submit = form.onSubmit((values) => {
    const username = values.username.trim();
    accept.mutate(
      { token, username, password: values.password },
      {
        onSuccess: () =>
          login.mutate(
            { identifier: username, password: values.password },
            { onSuccess: () => void navigate(paths.home, { replace: true }) },
          ),
        onError: (error) => {
          if (!(error instanceof ApiError)) return;
          if (error.code === 'WEAK_PASSWORD') {
            const problems = (error.details.problems as { message: string }[] | undefined) ?? [];
            form.setFieldError(
              'password',
              problems.map((p) => p.message).join('. ') || error.message,
            );
          } else if (error.code === 'USERNAME_TAKEN') {
            form.setFieldError('username', error.message);
          }
        },
      },
    );
  });
  const handledInline =
    accept.error instanceof ApiError &&
    (accept.error.code === 'WEAK_PASSWORD' || accept.error.code === 'USERNAME_TAKEN');
  const shownError = (!handledInline && accept.error) || login.error;

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm">
          You are invited as <b>{invitation.data.role}</b>. Choose how you will sign in.
        </Text>
        {shownError && (
          <Alert color="red" role="alert">
            {errorMessage(shownError)}
          </Alert>
        )}
        <TextInput label="E-mail" value={invitation.data.email} readOnly disabled />
        <TextInput
          label="Username"
          autoComplete="username"
          required
          autoFocus
          {...form.getInputProps('username')}
        />
        <NewPasswordInputs
          password={form.getInputProps('password')}
          confirmation={form.getInputProps('confirmPassword')}
        />
        <Button type="submit" loading={accept.isPending || login.isPending} fullWidth>
          Create account
        </Button>
      </Stack>
    </form>
  );
}
