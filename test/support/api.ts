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
