import { Alert, Anchor, Button, Loader, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { Link, useNavigate } from 'react-router';
import { paths } from '../../../config/paths';
import { ApiError, errorMessage } from '../../../lib/api-client';
import { useLogin } from '../../../lib/auth';
import { useAvailability, type AvailabilityField } from '../api/check-availability';
import { useRegister } from '../api/register';
import { MIN_PASSWORD_LENGTH, NewPasswordInputs } from './new-password-inputs';

const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/i;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateUsername(value: string): string | null {
  const name = value.trim();
  if (name.length < 3) return 'Use at least 3 characters';
  if (name.length > 32) return 'Use at most 32 characters';
  if (!USERNAME_PATTERN.test(name)) return 'Use letters, digits, dots, dashes and underscores';
  return null;
}

export function validatePassword(value: string, username: string): string | null {
  if ([...value].length < MIN_PASSWORD_LENGTH)
    return `Use at least ${MIN_PASSWORD_LENGTH} characters`;
  const name = username.trim().toLowerCase();
  if (name && value.toLowerCase().includes(name)) return 'Do not use your username in the password';
  return null;
}

/** "Available" / "taken" under a field, asked while the person types. */
function useLiveAvailability(field: AvailabilityField, value: string, locallyValid: boolean) {
  const [debounced] = useDebouncedValue(value.trim(), 350);
  const query = useAvailability(field, debounced, locallyValid && debounced === value.trim());
  if (!locallyValid || !debounced) return { description: undefined, error: undefined };
  if (query.isFetching && !query.data)
    return { description: <Loader size={12} />, error: undefined };
  if (!query.data) return { description: undefined, error: undefined };
  return query.data.available
    ? {
        description: (
          <Text span size="xs" c="green.8">
            {field === 'username' ? 'This username is available' : 'This e-mail can be used'}
          </Text>
        ),
        error: undefined,
      }
    : {
        description: undefined,
        error:
          query.data.message ??
          (field === 'username'
            ? 'This username is taken'
            : 'An account with this e-mail already exists'),
      };
}

export function RegisterForm() {
  const registerMutation = useRegister();
  const login = useLogin();
  const navigate = useNavigate();
  const form = useForm({
    mode: 'controlled',
    initialValues: { username: '', email: '', password: '', confirmPassword: '' },
    validateInputOnBlur: true,
    validate: {
      username: validateUsername,
      email: (value) => (EMAIL_PATTERN.test(value.trim()) ? null : 'Enter a valid e-mail address'),
      password: (value, values) => validatePassword(value, values.username),
      confirmPassword: (value, values) =>
        value === values.password ? null : 'The passwords do not match',
    },
  });
  const { values } = form;
  const usernameStatus = useLiveAvailability(
    'username',
    values.username,
    validateUsername(values.username) === null,
  );
  const emailStatus = useLiveAvailability(
    'email',
    values.email,
    EMAIL_PATTERN.test(values.email.trim()),
  );
  const pending = registerMutation.isPending || login.isPending;

  const submit = form.onSubmit((input) => {
    if (usernameStatus.error || emailStatus.error) return;
    const credentials = {
      username: input.username.trim(),
      email: input.email.trim(),
      password: input.password,
    };
    registerMutation.mutate(credentials, {
      onSuccess: () =>
        login.mutate(
          { identifier: credentials.username, password: credentials.password },
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
          return;
        }
        const fields = error.fieldErrors();
        if (error.code.includes('USERNAME')) fields.username ??= error.message;
        if (error.code.includes('EMAIL')) fields.email ??= error.message;
        form.setErrors(fields);
      },
    });
  });
  const handledInline =
    registerMutation.error instanceof ApiError &&
    (registerMutation.error.code === 'WEAK_PASSWORD' ||
      Object.keys(registerMutation.error.fieldErrors()).length > 0);
  const shownError = (!handledInline && registerMutation.error) || login.error;

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {shownError && (
          <Alert color="red" role="alert">
            {errorMessage(shownError)}
          </Alert>
        )}
        <TextInput
          label="Username"
          autoComplete="username"
          required
          autoFocus
          {...form.getInputProps('username')}
          description={usernameStatus.description}
          error={form.errors.username ?? usernameStatus.error}
        />
        <TextInput
          label="E-mail"
          type="email"
          autoComplete="email"
          required
          {...form.getInputProps('email')}
          description={emailStatus.description}
          error={form.errors.email ?? emailStatus.error}
        />
        <NewPasswordInputs
          password={form.getInputProps('password')}
          confirmation={form.getInputProps('confirmPassword')}
        />
        <Button type="submit" loading={pending} fullWidth>
          Create account
        </Button>
        <Text size="sm" ta="center">
          Already have an account?{' '}
          <Anchor component={Link} to={paths.login}>
            Sign in
          </Anchor>
        </Text>
      </Stack>
    </form>
  );
}
