import { recordAudit } from '../audit/audit.service.js';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { Db, Executor } from '../db/database.js';
import type { EventBus } from '../events/event.types.js';
import type { Mailer } from '../mail/mailer.js';
import { AppError } from '../shared/app-error.js';
import { isoAfter, newId, nowIso } from '../shared/clock.js';
import { assertCanRegister, insertAccount, type NewAccount } from './account.service.js';
import { issueApiToken } from './api-token.service.js';
import { revokeApiToken, revokeSessionTokens, revokeUserTokens } from './api-token.repository.js';
import { announceEnded } from './auth.revocation.js';
import type { Authentication } from './auth.guard.js';
import { hashSecret, newSecret } from './auth.secrets.js';
import type { UserRole, UserRow } from '../db/tables/auth.table.js';
import { loginFailed, loginSucceeded, slowDownLogin } from './login-throttle.service.js';
import { hashPassword, verifyPassword } from './password.hashing.js';
import { assertStrongPassword } from './password.policy.js';
import { deleteSession, deleteUserSessions, insertSession } from './session.repository.js';
import {
  findUserByEmail,
  findUserById,
  findUserByUsername,
  updateUser,
  violatedUserColumn,
} from './user.repository.js';

/** What registering, signing in and changing an account use. */
export interface AccountDeps {
  db: Db;
  config: Config;
  mailer: Mailer;
  events: EventBus;
}

export interface PublicUser {
  id: string;
  username: string;
  email: string;
  displayName: string | null;
  role: UserRole;
  emailVerified: boolean;
  createdAt: string;
}

/** Where a request came from, for sessions and the audit log. */
export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
}

export const toPublicUser = (row: UserRow): PublicUser => ({
  id: row.id,
  username: row.username,
  email: row.email,
  displayName: row.display_name,
  role: row.role,
  emailVerified: row.email_verified_at !== null,
  createdAt: row.created_at,
});

/** The 409 for a unique-column collision of `users`, if that is what `error` is. */
export function conflictFrom(error: unknown): AppError | undefined {
  const column = violatedUserColumn(error);
  if (column === 'username') return new AppError('USERNAME_TAKEN', 'This username is taken');
  if (column === 'email') return new AppError('EMAIL_TAKEN', 'This e-mail is already registered');
  return undefined;
}

/** Throws USERNAME_TAKEN / EMAIL_TAKEN when either is in use; null skips the check. */
export async function assertFree(db: Executor, username: string | null, email: string | null) {
  if (username !== null && (await findUserByUsername(db, username))) {
    throw new AppError('USERNAME_TAKEN', 'This username is taken');
  }
  if (email !== null && (await findUserByEmail(db, email))) {
    throw new AppError('EMAIL_TAKEN', 'This e-mail is already registered');
  }
}

export async function register(
  deps: AccountDeps,
  input: { username: string; email: string; password: string },
  context: RequestContext,
): Promise<PublicUser> {
  await assertCanRegister(deps.db, deps.config);
  assertStrongPassword(input.password, input.username);
  await assertFree(deps.db, input.username, input.email);
  const now = nowIso();
  const account: NewAccount = {
    id: newId(),
    username: input.username,
    email: input.email,
    password_hash: await hashPassword(input.password),
    display_name: null,
    created_at: now,
    updated_at: now,
    email_verified_at: null,
  };
  const firstOnly = deps.config.REGISTRATION !== 'open';
  try {
    const row = await deps.db.transaction().execute(async (trx) => {
      const inserted = await insertAccount(trx, account, 'investigator', { firstOnly });
      await recordAudit(trx, {
        userId: inserted.id,
        action: 'auth.register',
        description: `Registered as ${inserted.role}`,
        ip: context.ip,
      });
      return inserted;
    });
    return toPublicUser(row);
  } catch (error) {
    throw conflictFrom(error) ?? error;
  }
}

export interface LoginResult {
  user: PublicUser;
  token: string;
  csrfToken: string;
  /** The cookie value; only its hash is stored. */
  sessionSecret: string;
  sessionExpiresAt: string;
}

async function startSession(db: Executor, config: Config, userId: string, context: RequestContext) {
  const sessionSecret = newSecret();
  const csrfToken = newSecret();
  const now = Date.now();
  const sessionExpiresAt = isoAfter(config.SESSION_MAX_HOURS * 3_600_000, now);
  await insertSession(db, {
    id: hashSecret(sessionSecret),
    user_id: userId,
    csrf_token: csrfToken,
    ip: context.ip,
    user_agent: context.userAgent?.slice(0, 500) ?? null,
    created_at: new Date(now).toISOString(),
    last_seen_at: new Date(now).toISOString(),
    expires_at: sessionExpiresAt,
  });
  return { sessionId: hashSecret(sessionSecret), sessionSecret, csrfToken, sessionExpiresAt };
}

export async function login(
  deps: AccountDeps,
  input: { username?: string | undefined; email?: string | undefined; password: string },
  context: RequestContext,
  log: FastifyBaseLogger,
): Promise<LoginResult> {
  // Usernames cannot contain "@", so one typed into the username field is an e-mail.
  const name = input.username ?? input.email ?? '';
  await slowDownLogin(deps, name);
  const user = name.includes('@')
    ? await findUserByEmail(deps.db, name)
    : await findUserByUsername(deps.db, name);
  // An unknown name is verified against a dummy hash: it costs the same time as a wrong password.
  if (!(await verifyPassword(user?.password_hash, input.password)) || !user) {
    await recordAudit(deps.db, {
      userId: user?.id ?? null,
      action: 'auth.login_failed',
      description: `Failed sign-in as "${name}"`.slice(0, 300),
      ip: context.ip,
    });
    await loginFailed(deps, name, user, context, log);
    throw new AppError('INVALID_CREDENTIALS', 'Wrong username, e-mail or password');
  }
  await loginSucceeded(deps, name, context.ip);
  // Told only to whoever knows the password, so it reveals nothing to anyone else.
  if (user.disabled_at) {
    await recordAudit(deps.db, { userId: user.id, action: 'auth.login_disabled', ip: context.ip });
    throw new AppError('ACCOUNT_DISABLED', 'This account is disabled: ask an administrator');
  }
  return deps.db.transaction().execute(async (trx) => {
    const { sessionId, ...session } = await startSession(trx, deps.config, user.id, context);
    const tokenName = `login ${nowIso().slice(0, 16)}Z`;
    const { token } = await issueApiToken(trx, user.id, tokenName, { sessionId });
    await recordAudit(trx, { userId: user.id, action: 'auth.login', ip: context.ip });
    return { user: toPublicUser(user), token, ...session };
  });
}

/**
 * Ends the login the request belongs to: the session and the bearer token issued with it, by
 * whichever of the two the request came. A token made on the tokens page is revoked alone.
 */
export async function logout(
  deps: AccountDeps,
  auth: Authentication,
  context: RequestContext,
): Promise<void> {
  const tokenIds = await deps.db.transaction().execute(async (trx) => {
    const now = nowIso();
    const revoked: string[] = [];
    if (auth.sessionId) {
      await deleteSession(trx, auth.sessionId);
      revoked.push(...(await revokeSessionTokens(trx, [auth.sessionId], now)));
    }
    if (auth.tokenId && (await revokeApiToken(trx, auth.user.id, auth.tokenId, now))) {
      revoked.push(auth.tokenId);
    }
    await recordAudit(trx, { userId: auth.user.id, action: 'auth.logout', ip: context.ip });
    return revoked;
  });
  const sessionIds = auth.sessionId ? [auth.sessionId] : [];
  await announceEnded(deps, { userId: auth.user.id, sessionIds, tokenIds });
}

export async function getUser(deps: AccountDeps, userId: string): Promise<PublicUser> {
  const user = await findUserById(deps.db, userId);
  if (!user) throw new AppError('UNAUTHENTICATED', 'The account no longer exists');
  return toPublicUser(user);
}

/** Changes the display name. The e-mail changes through a confirmation link (email.service.ts). */
export async function updateProfile(
  deps: AccountDeps,
  userId: string,
  changes: { displayName?: string | null | undefined },
): Promise<PublicUser> {
  if (changes.displayName !== undefined) {
    await updateUser(deps.db, userId, {
      display_name: changes.displayName || null,
      updated_at: nowIso(),
    });
  }
  return getUser(deps, userId);
}

/**
 * Changes the password and ends every other login of the user: every other session, and every
 * token but the one asking (login tokens and personal ones alike).
 */
export async function changePassword(
  deps: AccountDeps,
  auth: Authentication,
  input: { currentPassword: string; newPassword: string },
  context: RequestContext,
): Promise<void> {
  const user = await findUserById(deps.db, auth.user.id);
  if (!user || !(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw new AppError('WRONG_PASSWORD', 'The current password is wrong');
  }
  assertStrongPassword(input.newPassword, user.username);
  const passwordHash = await hashPassword(input.newPassword);
  const ended = await deps.db.transaction().execute(async (trx) => {
    const now = nowIso();
    await updateUser(trx, user.id, { password_hash: passwordHash, updated_at: now });
    const sessionIds = await deleteUserSessions(trx, user.id, auth.sessionId);
    const keep = { sessionId: auth.sessionId, tokenId: auth.tokenId };
    const tokenIds = await revokeUserTokens(trx, user.id, now, keep);
    await recordAudit(trx, { userId: user.id, action: 'auth.password_change', ip: context.ip });
    return { sessionIds, tokenIds };
  });
  await announceEnded(deps, { userId: user.id, ...ended });
}
