/** A user registered and signed in over HTTP, with every credential a test may need. */
export interface LoggedInUser {
  user: { id: string; username: string; email: string };
  /** Bearer token from login: `bearer(token)` gives the headers. */
  token: string;
  /** `mpf_session=…`, ready for a `cookie` header. */
  cookie: string;
  /** Send as `x-csrf-token` on cookie-authenticated POST/PUT/PATCH/DELETE. */
  csrfToken: string;
  password: string;
}

let counter = 0;

/** A username no other call (in any test worker) produces. */
export function uniqueUsername(prefix = 'user'): string {
  counter += 1;
  return `${prefix}_${process.pid.toString(36)}${Date.now().toString(36)}${counter.toString(36)}`;
}

async function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/**
 * Registers a fresh user (unique username each call) and logs in. Each call costs one register
 * and one login against the auth rate limit (AUTH_RATE_LIMIT_PER_MINUTE per IP, default 10).
 */
export async function registerAndLogin(
  baseUrl: string,
  overrides: Partial<{ username: string; email: string; password: string }> = {},
): Promise<LoggedInUser> {
  const username = overrides.username ?? uniqueUsername();
  const email = overrides.email ?? `${username}@example.com`;
  const password = overrides.password ?? 'correct-horse-battery-staple';
  const registered = await postJson(`${baseUrl}/api/auth/register`, { username, email, password });
  if (registered.status !== 201) {
    throw new Error(`register failed: ${registered.status} ${await registered.text()}`);
  }
  const login = await postJson(`${baseUrl}/api/auth/login`, { username, password });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const body = (await login.json()) as {
    user: LoggedInUser['user'];
    token: string;
    csrfToken: string;
  };
  const cookie = login.headers
    .getSetCookie()
    .map((header) => header.split(';')[0] ?? '')
    .find((pair) => pair.startsWith('mpf_session='));
  if (!cookie) throw new Error('login set no mpf_session cookie');
  return { user: body.user, token: body.token, cookie, csrfToken: body.csrfToken, password };
}

/** Headers that authenticate with a bearer token. */
export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** Headers that authenticate with the session cookie, CSRF token included. */
export function withSession(session: Pick<LoggedInUser, 'cookie' | 'csrfToken'>) {
  return { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
}
