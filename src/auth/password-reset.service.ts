import type { FastifyBaseLogger } from 'fastify';
import { recordAudit } from '../audit/audit.service.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { EventBus } from '../events/event.types.js';
import type { Mailer } from '../mail/mailer.js';
import { AppError } from '../shared/app-error.js';
import { isoAfter, newId, nowIso } from '../shared/clock.js';
import { announceEnded, endEveryLogin } from './auth.revocation.js';
import { hashSecret, newSecret } from './auth.secrets.js';
import type { RequestContext } from './auth.service.js';
import { hashPassword } from './password.hashing.js';
import { assertStrongPassword } from './password.policy.js';
import {
  findUsablePasswordReset,
  insertPasswordReset,
  markPasswordResetUsed,
  retireUserPasswordResets,
} from './password-reset.repository.js';
import { findUserByEmail, findUserById, updateUser } from './user.repository.js';

/** A reset mails a link; completing it ends every login, announced on the bus. */
export interface PasswordResetDeps {
  db: Db;
  config: Config;
  mailer: Mailer;
  events: EventBus;
}

function resetLink(config: Config, token: string): string {
  const base = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
  const url = new URL('/reset-password', base);
  url.searchParams.set('token', token);
  return url.toString();
}

function resetMail(config: Config, username: string, link: string) {
  const minutes = config.PASSWORD_RESET_MINUTES;
  const text = [
    `Hello ${username},`,
    '',
    'Someone (hopefully you) asked to reset the password of your Missing Person Finder account.',
    `Open this link within ${minutes} minutes to choose a new password. It works once:`,
    '',
    link,
    '',
    'If you did not ask for this, ignore this message: your password stays as it is.',
  ].join('\n');
  return { subject: 'Reset your Missing Person Finder password', text };
}

/**
 * Mails a single-use reset link when the e-mail belongs to an account. The caller answers the
 * same either way, before this runs, so neither the answer nor its timing tells whether the
 * account exists.
 */
export async function requestPasswordReset(
  deps: PasswordResetDeps,
  email: string,
  context: RequestContext,
  log: FastifyBaseLogger,
): Promise<void> {
  const user = await findUserByEmail(deps.db, email);
  if (!user) return;
  const token = newSecret('mpr_');
  const now = nowIso();
  await deps.db.transaction().execute(async (trx) => {
    await retireUserPasswordResets(trx, user.id, now);
    await insertPasswordReset(trx, {
      id: newId(),
      user_id: user.id,
      token_hash: hashSecret(token),
      created_at: now,
      expires_at: isoAfter(deps.config.PASSWORD_RESET_MINUTES * 60_000),
      used_at: null,
    });
    await recordAudit(trx, {
      userId: user.id,
      action: 'auth.password_reset_request',
      ip: context.ip,
    });
  });
  const mail = resetMail(deps.config, user.username, resetLink(deps.config, token));
  deps.mailer
    .send({ to: user.email, ...mail })
    .catch((error: unknown) => log.error({ err: error }, 'could not send the password reset mail'));
}

/** Sets a new password with a reset token (once), and ends every login and token of the account. */
export async function confirmPasswordReset(
  deps: PasswordResetDeps,
  input: { token: string; newPassword: string },
  context: RequestContext,
): Promise<void> {
  const invalid = new AppError('INVALID_TOKEN', 'This reset link is invalid, used or expired');
  const reset = await findUsablePasswordReset(deps.db, hashSecret(input.token), nowIso());
  const user = reset && (await findUserById(deps.db, reset.user_id));
  if (!reset || !user) throw invalid;
  assertStrongPassword(input.newPassword, user.username);
  const passwordHash = await hashPassword(input.newPassword);
  await deps.db.transaction().execute(async (trx) => {
    const now = nowIso();
    if (!(await markPasswordResetUsed(trx, reset.id, now))) throw invalid;
    await updateUser(trx, user.id, { password_hash: passwordHash, updated_at: now });
    await endEveryLogin(trx, user.id, now);
    await recordAudit(trx, { userId: user.id, action: 'auth.password_reset', ip: context.ip });
  });
  await announceEnded(deps, { userId: user.id, all: true });
}
