import { PasswordInput } from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';

export const MIN_PASSWORD_LENGTH = 10;

interface NewPasswordInputsProps {
  password: GetInputPropsReturnType;
  confirmation: GetInputPropsReturnType;
}

/** A new account's password with the rules it must meet, and its repetition. */
export function NewPasswordInputs({ password, confirmation }: NewPasswordInputsProps) {
  return (
    <>
      <PasswordInput
        label="Password"
        description={`At least ${MIN_PASSWORD_LENGTH} characters, not your username, not a common password`}
        autoComplete="new-password"
        required
        {...password}
      />
      <PasswordInput
        label="Repeat the password"
        autoComplete="new-password"
        required
        {...confirmation}
      />
    </>
  );
}
