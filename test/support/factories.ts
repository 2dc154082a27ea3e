import type { CreateSearchInput, SearchDetail } from '../../src/searches/search.schema.js';
import { client, json, type LoggedInUser } from './client.js';

/**
 * Rows a test needs, made through the API as a user would make them (so every rule of the
 * service applies). Each returns what the test goes on with: a signed-in user, or an id.
 */

let counter = 0;

/** A username no other call (in any test worker) produces. */
export function uniqueUsername(prefix = 'user'): string {
  counter += 1;
  return `${prefix}_${process.pid.toString(36)}${Date.now().toString(36)}${counter.toString(36)}`;
}

/**
 * Registers a fresh user (unique username each call) and signs in with a cookie and a token.
 * Each call costs one register and one login against the auth rate limit
 * (AUTH_RATE_LIMIT_PER_MINUTE per IP, default 10).
 */
export async function signUp(
  baseUrl: string,
  overrides: Partial<{ username: string; email: string; password: string }> = {},
): Promise<LoggedInUser> {
  const username = overrides.username ?? uniqueUsername();
  const email = overrides.email ?? `${username}@example.com`;
  const password = overrides.password ?? 'correct-horse-battery-staple';
  const anonymous = client(baseUrl, null);
  await json(
    await anonymous.request('POST', '/api/auth/register', { username, email, password }),
    201,
  );
  const login = await anonymous.request('POST', '/api/auth/login', { username, password });
  const body = await json<Omit<LoggedInUser, 'cookie' | 'password'>>(login, 200);
  const cookie = login.headers
    .getSetCookie()
    .map((header) => header.split(';')[0] ?? '')
    .find((pair) => pair.startsWith('mpf_session='));
  if (!cookie) throw new Error('login set no mpf_session cookie');
  return { user: body.user, token: body.token, cookie, csrfToken: body.csrfToken, password };
}

/** Signs an existing user in over HTTP (bearer token only: no cookie in the result). */
export async function logIn(
  t: { baseUrl: string },
  username: string,
  password = 'correct-horse-battery-staple',
): Promise<LoggedInUser> {
  const answer = await client(t.baseUrl, null).call('POST', '/api/auth/login', {
    username,
    password,
  });
  if (answer.status !== 200) throw new Error(`login failed: ${JSON.stringify(answer.body)}`);
  return { user: answer.body.user, token: answer.body.token, password, cookie: '', csrfToken: '' };
}

/** A case of `user` (Ada Example); with `photo`, its enrolled reference photo. Returns its id. */
export async function createCase(baseUrl: string, user: LoggedInUser, photo?: string) {
  return (await client(baseUrl, user).createCase({}, photo)).id;
}

/** An uploaded video of `user`; returns its id. */
export async function uploadVideo(
  baseUrl: string,
  user: LoggedInUser,
  file: string,
  title: string,
) {
  return (await client(baseUrl, user).uploadVideo(file, title)).id;
}

/** A live feed of `user`; returns its video id. */
export async function addLiveFeed(
  baseUrl: string,
  user: LoggedInUser,
  title: string,
  url: string,
): Promise<string> {
  return (await client(baseUrl, user).addLiveFeed({ title, url })).id;
}

/** A search of `user`, started. */
export function startSearch(
  baseUrl: string,
  user: LoggedInUser,
  body: Record<string, unknown>,
): Promise<SearchDetail> {
  // Loose on purpose: tests also start searches the schema refuses, to see the refusal.
  return client(baseUrl, user).startSearch(body as CreateSearchInput);
}

/** Polls the search until its status is one of `statuses`. */
export function waitForSearch(
  baseUrl: string,
  user: LoggedInUser,
  searchId: string,
  statuses: string[],
  timeoutMs = 90_000,
): Promise<SearchDetail> {
  return client(baseUrl, user).waitForSearch(searchId, statuses, timeoutMs);
}
