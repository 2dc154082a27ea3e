import type { Executor } from '../db/database.js';
import type { Config } from '../config.js';
import { AppError } from '../shared/app-error.js';
import type { UserRole, UserRow } from '../db/tables/auth.table.js';
import { verifyPassword } from './password.hashing.js';
import { findUserById, hasAnyUser, insertUser, lockAccounts } from './user.repository.js';

/** A new account as the caller describes it; the role may be raised for the first account. */
export type NewAccount = Omit<UserRow, 'role' | 'disabled_at'>;

const registrationClosed = () =>
  new AppError(
    'REGISTRATION_CLOSED',
    'Accounts are created by invitation on this server: ask an administrator for one',
  );

/**
 * Inserts an account inside `trx` with `role`, except that the first account of the instance
 * becomes admin, whatever was asked. Decided under a lock, so exactly one account is first.
 */
export async function insertAccount(
  trx: Executor,
  account: NewAccount,
  role: UserRole,
  /** Refuse unless this is the first account (self-registration when it is not open). */
  options: { firstOnly?: boolean } = {},
): Promise<UserRow> {
  await lockAccounts(trx);
  const first = !(await hasAnyUser(trx));
  if (!first && options.firstOnly) throw registrationClosed();
  const row: UserRow = { ...account, role: first ? 'admin' : role, disabled_at: null };
  await insertUser(trx, row);
  return row;
}

/** Self-registration is open in `open` mode, and otherwise only for the first account. */
export async function assertCanRegister(db: Executor, config: Config): Promise<void> {
  if (config.REGISTRATION !== 'open' && (await hasAnyUser(db))) throw registrationClosed();
}

/** What the sign-in pages need to know before anyone is signed in. */
export async function registrationInfo(db: Executor, config: Config) {
  return { registration: config.REGISTRATION, firstRun: !(await hasAnyUser(db)) };
}

/**
 * The account, after checking `password` is its password (WRONG_PASSWORD otherwise): for
 * actions that ask for the password again, such as deleting the account.
 */
export async function confirmPassword(
  db: Executor,
  userId: string,
  password: string,
): Promise<UserRow> {
  const user = await findUserById(db, userId);
  if (!user || !(await verifyPassword(user.password_hash, password))) {
    throw new AppError('WRONG_PASSWORD', 'The password is wrong');
  }
  return user;
}

// What other features (administration, case sharing) may read and change of accounts.
export {
  findUserByEmail,
  findUserById,
  findUserByUsername,
  lockAccounts,
  updateUser,
} from './user.repository.js';
export { announceChanged, announceEnded, endEveryLogin } from './auth.revocation.js';
