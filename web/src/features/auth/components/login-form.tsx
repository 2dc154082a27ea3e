import { Alert, Anchor, Button, Group, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { paths, safeRedirect } from '../../../config/paths';
import { ApiError, errorMessage } from '../../../lib/api-client';
import { useLogin } from '../../../lib/auth';
import { canSelfRegister, useAuthConfig } from '../api/auth-config';

export function LoginForm() {
  const login = useLogin();
  const authConfig = useAuthConfig();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const form = useForm({
    initialValues: { identifier: '', password: '' },
    validate: {
      identifier: (value) => (value.trim() ? null : 'Enter your username or e-mail'),
      password: (value) => (value ? null : 'Enter your password'),
    },
  });

  const submit = form.onSubmit((values) =>
    login.mutate(values, {
      onSuccess: () =>
        void navigate(safeRedirect(searchParams.get('redirectTo')), { replace: true }),
      onError: (error) => {
        if (error instanceof ApiError) form.setErrors(error.fieldErrors());
      },
    }),
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {login.error && (
          <Alert color="red" role="alert">
            {errorMessage(login.error)}
          </Alert>
        )}
        <TextInput
          label="Username or e-mail"
          autoComplete="username"
          autoFocus
          required
          {...form.getInputProps('identifier')}
        />
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          required
          {...form.getInputProps('password')}
        />
        <Button type="submit" loading={login.isPending} fullWidth>
          Sign in
        </Button>
        <Group justify="space-between">
          <Anchor component={Link} to={paths.forgotPassword} size="sm">
            Forgot your password?
          </Anchor>
          {canSelfRegister(authConfig.data) && (
            <Anchor component={Link} to={paths.register} size="sm">
              Create an account
            </Anchor>
          )}
        </Group>
      </Stack>
    </form>
  );
}
