import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { bearer, type LoggedInUser } from './auth.js';
import type { TestApp } from './test-app.js';

/** The fields tests read from JSON answers; any one may be absent from a given answer. */
export interface AnswerBody {
  error: { code: string; message: string };
  user: { id: string; username: string; email: string; role: string };
  items: {
    id: string;
    username: string;
    email: string;
    role: string;
    status: string;
    action: string;
    lastSeenAt: string | null;
  }[];
  total: number;
  id: string;
  token: string;
  email: string;
  role: string;
  status: string;
  disabledAt: string | null;
  system?: unknown;
  users: Record<string, number>;
}

/** One JSON request as `user` (bearer) or anonymously, with the status and parsed body. */
export async function call(
  t: TestApp,
  user: LoggedInUser | null,
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; body: AnswerBody }> {
  const response = await fetch(`${t.baseUrl}${url}`, {
    method,
    headers: {
      ...(user ? bearer(user.token) : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as AnswerBody };
}

/** Signs an existing user in over HTTP (bearer token only: no cookie in the result). */
export async function login(
  t: TestApp,
  username: string,
  password = 'correct-horse-battery-staple',
): Promise<LoggedInUser> {
  const answer = await call(t, null, 'POST', '/api/auth/login', { username, password });
  if (answer.status !== 200) throw new Error(`login failed: ${JSON.stringify(answer.body)}`);
  return { ...answer.body, password, cookie: '', csrfToken: '' };
}

const decodeQuotedPrintable = (text: string) =>
  text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** The outbox mails to `address`, oldest first, decoded; waits until there are `count`. */
export async function mailsTo(t: TestApp, address: string, count = 1): Promise<string[]> {
  const outbox = path.join(t.config.DATA_DIR, 'outbox');
  for (let i = 0; i < 50; i += 1) {
    const files = (await readdir(outbox).catch(() => [] as string[]))
      .filter((f) => f.endsWith('.eml'))
      .sort();
    const mails = (await Promise.all(files.map((f) => readFile(path.join(outbox, f), 'utf8'))))
      .filter((m) => m.includes(`To: ${address}`))
      .map(decodeQuotedPrintable);
    if (mails.length >= count) return mails;
    await sleep(100);
  }
  throw new Error(`no mail to ${address} in ${outbox}`);
}

/** The token of the newest invitation link mailed to `address` (the `count`th one). */
export async function mailedInvitationToken(
  t: TestApp,
  address: string,
  count = 1,
): Promise<string> {
  const mails = await mailsTo(t, address, count);
  const match = /\/accept-invitation\?token=([\w-]+)/.exec(mails[mails.length - 1]!);
  if (!match?.[1]) throw new Error(`no invitation link in:\n${mails[mails.length - 1]}`);
  return match[1];
}
