import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import { hasRecentAudit, recordAudit } from '../audit/audit.service.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { Mailer } from '../mail/mailer.js';
import { isoAfter, nowIso } from '../shared/clock.js';
import type { RequestContext } from './auth.service.js';
import type { UserRow } from '../db/tables/auth.table.js';
import {
  clearLoginFailures,
  countLoginFailures,
  forgetLoginFailures,
  insertLoginFailure,
} from './login-failure.repository.js';

/** Failed sign-ins are counted in the database and reported to the account by mail. */
export interface LoginThrottleDeps {
  db: Db;
  config: Config;
  mailer: Mailer;
}

/** Failures count for this long; an alert is sent at most once in it. */
const WINDOW_MS = 15 * 60_000;
/** Failures on one account before its logins slow down. */
const SLOW_AFTER = 5;

const since = () => isoAfter(-WINDOW_MS);

/**
 * Slows every login on an account that failed many times lately, from wherever they come: half a
 * second per failure beyond SLOW_AFTER, at most LOGIN_SLOWDOWN_MAX_SECONDS. It only delays: the
 * hard limits are per IP and per (account, IP), so a spray from other addresses never locks the
 * owner out. Keyed by the name typed, so an unknown name slows down exactly like a known one.
 */
export async function slowDownLogin(deps: LoginThrottleDeps, account: string): Promise<void> {
  const failures = await countLoginFailures(deps.db, account, since());
  if (failures < SLOW_AFTER) return;
  const maxMs = deps.config.LOGIN_SLOWDOWN_MAX_SECONDS * 1000;
  await sleep(Math.min(maxMs, (failures - SLOW_AFTER + 1) * 500));
}

export async function loginSucceeded(deps: LoginThrottleDeps, account: string, ip: string | null) {
  await clearLoginFailures(deps.db, account, ip);
}

function securityAlertMail(user: UserRow, failures: number) {
  const text = [
    `Hello ${user.username},`,
    '',
    `Someone failed to sign in to your Missing Person Finder account ${failures} times in the last`,
    `${WINDOW_MS / 60_000} minutes. Your account is not locked, and nobody got in with a wrong password.`,
    '',
    'If this was not you, choose a long, unique password (Settings → Password) and look at your',
    'active sessions there. If it was you, you can ignore this message.',
  ].join('\n');
  return { subject: 'Failed sign-in attempts on your Missing Person Finder account', text };
}

/**
 * Records a failed login; when the account then has LOGIN_ALERT_FAILURES failures in the window,
 * audits a security alert and mails its owner (once per window). The mail goes out after the
 * reply, so timing says nothing either.
 */
export async function loginFailed(
  deps: LoginThrottleDeps,
  account: string,
  user: UserRow | undefined,
  context: RequestContext,
  log: FastifyBaseLogger,
): Promise<void> {
  const now = nowIso();
  await forgetLoginFailures(deps.db, since());
  await insertLoginFailure(deps.db, account, context.ip, now);
  if (!user) return;
  const failures = await countLoginFailures(deps.db, account, since());
  if (failures < deps.config.LOGIN_ALERT_FAILURES) return;
  if (await hasRecentAudit(deps.db, user.id, 'auth.security_alert', since())) return;
  await recordAudit(deps.db, {
    userId: user.id,
    action: 'auth.security_alert',
    description: `${failures} failed sign-ins in ${WINDOW_MS / 60_000} minutes`,
    ip: context.ip,
  });
  deps.mailer
    .send({ to: user.email, ...securityAlertMail(user, failures) })
    .catch((error: unknown) => log.error({ err: error }, 'could not send the security alert'));
}
