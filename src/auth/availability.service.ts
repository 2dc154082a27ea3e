import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { AppError } from '../shared/app-error.js';
import { emailSchema, usernameSchema } from './auth.schema.js';
import { findUserByEmail, findUserByUsername } from './user.repository.js';

/** Whether a name is free depends on the accounts and on the registration mode. */
export interface AvailabilityDeps {
  db: Db;
  config: Config;
}

export interface Availability {
  available: boolean;
  reason?: 'taken' | 'invalid';
  message?: string;
}

async function check<T>(
  value: string,
  parse: (value: string) => { success: true; data: T } | { success: false },
  taken: (parsed: T) => Promise<unknown>,
  what: string,
): Promise<Availability> {
  const parsed = parse(value);
  if (!parsed.success) {
    return { available: false, reason: 'invalid', message: `This is not a valid ${what}` };
  }
  if (await taken(parsed.data)) {
    return { available: false, reason: 'taken', message: `This ${what} is already in use` };
  }
  return { available: true };
}

/**
 * Whether a username and/or e-mail could be registered now (for the sign-up form). It tells who
 * has an account, so it answers only while anyone may register (REGISTRATION=open), when the
 * sign-up form itself would tell as much.
 */
export async function checkAvailability(
  deps: AvailabilityDeps,
  query: { username?: string | undefined; email?: string | undefined },
): Promise<{ username?: Availability; email?: Availability }> {
  if (deps.config.REGISTRATION !== 'open') {
    throw new AppError('REGISTRATION_CLOSED', 'Registration is not open on this server');
  }
  const result: { username?: Availability; email?: Availability } = {};
  if (query.username !== undefined) {
    result.username = await check(
      query.username,
      (v) => usernameSchema.safeParse(v),
      (name) => findUserByUsername(deps.db, name),
      'username',
    );
  }
  if (query.email !== undefined) {
    result.email = await check(
      query.email,
      (v) => emailSchema.safeParse(v),
      (email) => findUserByEmail(deps.db, email),
      'e-mail',
    );
  }
  return result;
}
