/** One issue the server found with a field, e.g. `{ path: 'body.email', message: 'is taken' }`. */
export interface ApiIssue {
  path: string;
  message: string;
}

/** Every non-2xx answer of the API: `{ error: { code, message, details } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Field messages keyed by the field name (`body.email` → `email`). */
  fieldErrors(): Record<string, string> {
    const issues = Array.isArray(this.details.issues) ? (this.details.issues as ApiIssue[]) : [];
    const fields: Record<string, string> = {};
    for (const issue of issues) {
      const field = issue.path.replace(/^(body|query|params)\.?/, '') || 'form';
      fields[field] ??= issue.message;
    }
    return fields;
  }
}

const SESSION_CODES = new Set(['UNAUTHENTICATED', 'SESSION_EXPIRED']);
let csrfToken: string | null = null;
const sessionLostListeners = new Set<() => void>();

/** Remembers the CSRF token that cookie-authenticated writes must echo in `x-csrf-token`. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function csrfHeaders(): Record<string, string> {
  return csrfToken ? { 'x-csrf-token': csrfToken } : {};
}

/** Called when any request finds the session gone, so the app can send the user to login. */
export function onSessionLost(listener: () => void): () => void {
  sessionLostListeners.add(listener);
  return () => sessionLostListeners.delete(listener);
}

/** Turns an error response body into an ApiError; tells listeners when the session is gone. */
export function toApiError(status: number, body: unknown, quietOn401 = false): ApiError {
  const error =
    typeof body === 'object' && body !== null && 'error' in body
      ? (body as { error: { code?: string; message?: string; details?: Record<string, unknown> } })
          .error
      : undefined;
  const apiError = new ApiError(
    status,
    error?.code ?? (status >= 500 ? 'INTERNAL' : 'HTTP_' + status),
    error?.message ?? `The server answered ${status}`,
    error?.details ?? {},
  );
  if (status === 401 && SESSION_CODES.has(apiError.code) && !quietOn401) {
    for (const listener of sessionLostListeners) listener();
  }
  return apiError;
}

export type ApiQuery = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: ApiQuery;
  signal?: AbortSignal;
  /** A 401 here is an expected answer (e.g. "who am I?" before login), not a lost session. */
  quietOn401?: boolean;
}

export function withQuery(path: string, query?: ApiQuery): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** Calls the API with the session cookie, CSRF header on writes, and typed JSON back. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) {
    body = options.body;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (method !== 'GET') Object.assign(headers, csrfHeaders());
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      body,
      signal: options.signal,
      credentials: 'same-origin',
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'NETWORK', 'The server cannot be reached; check your connection');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) throw toApiError(response.status, parsed, options.quietOn401);
  return parsed as T;
}

/** The message to show for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return 'Something went wrong';
}
