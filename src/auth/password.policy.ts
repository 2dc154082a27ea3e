import { dictionary } from '@zxcvbn-ts/language-common';
import { AppError } from '../shared/app-error.js';

export const MIN_PASSWORD_LENGTH = 10;

export type PasswordRule = 'minLength' | 'notUsername' | 'notCommon';

export interface PasswordProblem {
  rule: PasswordRule;
  message: string;
}

// zxcvbn-ts's ranked list of ~49,000 passwords seen most often in public breaches.
let commonPasswords: Set<string> | undefined;
function isCommon(password: string): boolean {
  commonPasswords ??= new Set(dictionary['passwords-common']);
  return commonPasswords.has(password.toLowerCase());
}

/** Every rule the password breaks, each with a message a person can act on. */
export function passwordProblems(password: string, username: string): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    problems.push({
      rule: 'minLength',
      message: `Use at least ${MIN_PASSWORD_LENGTH} characters`,
    });
  }
  const name = username.trim().toLowerCase();
  if (name.length > 0 && password.toLowerCase().includes(name)) {
    problems.push({ rule: 'notUsername', message: 'Do not use your username in the password' });
  }
  if (isCommon(password)) {
    problems.push({
      rule: 'notCommon',
      message: 'This password is one of the most common ones; choose another',
    });
  }
  return problems;
}

export function assertStrongPassword(password: string, username: string): void {
  const problems = passwordProblems(password, username);
  if (problems.length > 0) {
    throw new AppError(
      'WEAK_PASSWORD',
      `The password is too weak: ${problems.map((p) => p.message).join('; ')}`,
      { problems },
    );
  }
}
