import type { FastifyBaseLogger } from 'fastify';
import { recordAudit } from '../audit/audit.service.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { EventBus } from '../events/event.types.js';
import type { Mailer } from '../mail/mailer.js';
import { AppError } from '../shared/app-error.js';
import { isoAfter, newId, nowIso } from '../shared/clock.js';
import type { RequestContext } from './auth.service.js';
import { announceChanged } from './auth.revocation.js';
import { hashSecret, newSecret } from './auth.secrets.js';
import type { EmailPurpose } from '../db/tables/auth.table.js';
import {
  addAlertRecipient,
  insertEmailConfirmation,
  isConfirmedAlertAddress,
  retireEmailConfirmations,
  useEmailConfirmation,
} from './email-confirmation.repository.js';
import { verifyPassword } from './password.hashing.js';
import {
  findUserByEmail,
  findUserById,
  updateUser,
  violatedUserColumn,
} from './user.repository.js';

/** Confirming an e-mail address: the tokens, and the mailer that sends the link. */
export interface EmailDeps {
  db: Db;
  config: Config;
  mailer: Mailer;
}

/** Confirming announces a changed address, so no process keeps the old one (auth.revocation.ts). */
export type EmailConfirmDeps = EmailDeps & { events: EventBus };

const CONFIRMATION_HOURS = 24;

function confirmationLink(config: Config, token: string): string {
  const base = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
  const url = new URL('/confirm-email', base);
  url.searchParams.set('token', token);
  return url.toString();
}

const CONFIRMATION_TEXT: Record<EmailPurpose, { subject: string; why: string }> = {
  account: {
    subject: 'Confirm your e-mail address for Missing Person Finder',
    why: 'This address was given for the Missing Person Finder account "{user}". It becomes the account\'s e-mail once you open this link',
  },
  alert: {
    subject: 'Confirm that this address may receive Missing Person Finder alerts',
    why: 'The Missing Person Finder user "{user}" wants to send sighting alerts of a live search to this address. It receives none until you open this link',
  },
};

/** Mails a single-use link to `email`; clicking it proves the address reads its mail. */
async function sendConfirmation(
  deps: EmailDeps,
  user: { id: string; username: string },
  email: string,
  purpose: EmailPurpose,
  log: FastifyBaseLogger,
): Promise<void> {
  const token = newSecret('mpe_');
  const now = nowIso();
  await deps.db.transaction().execute(async (trx) => {
    if (purpose === 'account') await retireEmailConfirmations(trx, user.id, purpose, now);
    await insertEmailConfirmation(trx, {
      id: newId(),
      user_id: user.id,
      email,
      purpose,
      token_hash: hashSecret(token),
      created_at: now,
      expires_at: isoAfter(CONFIRMATION_HOURS * 3_600_000),
      used_at: null,
    });
  });
  const { subject, why } = CONFIRMATION_TEXT[purpose];
  const text = [
    'Hello,',
    '',
    `${why.replace('{user}', user.username)} (within ${CONFIRMATION_HOURS} hours; it works once):`,
    '',
    confirmationLink(deps.config, token),
    '',
    'If you do not know what this is about, ignore this message: nothing changes.',
  ].join('\n');
  deps.mailer
    .send({ to: email, subject, text })
    .catch((error: unknown) => log.error({ err: error }, 'could not send a confirmation mail'));
}

/**
 * Starts a change of the account's e-mail: needs the current password, mails a confirmation link
 * to the new address (the change applies only when it is opened) and a notice to the old one.
 * An address that belongs to another account gets nothing, and the answer is the same.
 */
export async function requestEmailChange(
  deps: EmailDeps,
  userId: string,
  input: { email: string; currentPassword: string },
  context: RequestContext,
  log: FastifyBaseLogger,
): Promise<void> {
  const user = await findUserById(deps.db, userId);
  if (!user || !(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw new AppError('WRONG_PASSWORD', 'The current password is wrong');
  }
  if (input.email === user.email) {
    throw new AppError('INVALID_STATE', 'This is already the e-mail of your account');
  }
  await recordAudit(deps.db, {
    userId,
    action: 'auth.email_change_request',
    description: `Asked to change the e-mail to ${input.email}`,
    ip: context.ip,
  });
  if (!(await findUserByEmail(deps.db, input.email))) {
    await sendConfirmation(deps, user, input.email, 'account', log);
  }
  const notice = [
    `Hello ${user.username},`,
    '',
    `Someone signed in to your Missing Person Finder account asked to change its e-mail from this`,
    `address to ${input.email}. Nothing changes until a link sent there is opened.`,
    '',
    'If this was not you, change your password now and end your other sessions (Settings).',
  ].join('\n');
  deps.mailer
    .send({
      to: user.email,
      subject: 'Your Missing Person Finder e-mail is being changed',
      text: notice,
    })
    .catch((error: unknown) =>
      log.error({ err: error }, 'could not send the e-mail change notice'),
    );
}

/** Mails a link that confirms the account's current address (for one that never was). */
export async function requestEmailVerification(
  deps: EmailDeps,
  userId: string,
  log: FastifyBaseLogger,
): Promise<void> {
  const user = await findUserById(deps.db, userId);
  if (!user) throw new AppError('UNAUTHENTICATED', 'The account no longer exists');
  if (user.email_verified_at) throw new AppError('INVALID_STATE', 'This e-mail is confirmed');
  await sendConfirmation(deps, user, user.email, 'account', log);
}

/**
 * For a live search's alert address: unless it is confirmed for the owner already, mails it a
 * confirmation link. Alerts reach it only after that link was opened.
 */
export async function ensureAlertAddressConfirmed(
  deps: EmailDeps,
  userId: string,
  email: string,
  log: FastifyBaseLogger,
): Promise<boolean> {
  if (await isConfirmedAlertAddress(deps.db, userId, email)) return true;
  const user = await findUserById(deps.db, userId);
  if (user) await sendConfirmation(deps, user, email, 'alert', log);
  return false;
}

/** Opens a confirmation link: changes (or confirms) the account's e-mail, or allows an alert address. */
export async function confirmEmail(
  deps: EmailConfirmDeps,
  token: string,
  context: RequestContext,
): Promise<{ purpose: EmailPurpose; email: string }> {
  const invalid = new AppError('INVALID_TOKEN', 'This link is invalid, used or expired');
  try {
    const confirmed = await deps.db.transaction().execute(async (trx) => {
      const now = nowIso();
      const link = await useEmailConfirmation(trx, hashSecret(token), now);
      const user = link && (await findUserById(trx, link.user_id));
      if (!link || !user) throw invalid;
      if (link.purpose === 'alert') {
        await addAlertRecipient(trx, user.id, link.email, now);
      }
      const changed = link.purpose === 'account' && link.email !== user.email;
      if (link.purpose === 'account' || link.email === user.email) {
        await updateUser(trx, user.id, {
          email: link.email,
          email_verified_at: now,
          updated_at: now,
        });
      }
      await recordAudit(trx, {
        userId: user.id,
        action: link.purpose === 'alert' ? 'auth.alert_address_confirm' : 'auth.email_confirm',
        description:
          link.email === user.email
            ? `Confirmed ${link.email}`
            : link.purpose === 'alert'
              ? `Confirmed ${link.email} for alerts`
              : `E-mail changed from ${user.email} to ${link.email}`,
        ip: context.ip,
      });
      return { purpose: link.purpose, email: link.email, userId: changed ? user.id : null };
    });
    if (confirmed.userId) await announceChanged(deps, confirmed.userId);
    return { purpose: confirmed.purpose, email: confirmed.email };
  } catch (error) {
    if (violatedUserColumn(error) === 'email') {
      throw new AppError('EMAIL_TAKEN', 'This e-mail belongs to another account now');
    }
    throw error;
  }
}

// Live alerts mail only addresses their owner confirmed.
export { isConfirmedAlertAddress } from './email-confirmation.repository.js';
