import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { loginResponseSchema } from '../../src/auth/auth.schema.js';
import type { CaseView, CreateCaseInput } from '../../src/cases/case.schema.js';
import type { photoUploadResponseSchema } from '../../src/cases/person-photo.schema.js';
import type { SearchDetail, createSearchBodySchema } from '../../src/searches/search.schema.js';
import type { LiveFeedInput, VideoView } from '../../src/videos/video.schema.js';

/** A signed-in user with every credential a test may need (from `signUp` or `logIn`). */
export interface LoggedInUser {
  user: Pick<z.output<typeof loginResponseSchema>['user'], 'id' | 'username' | 'email'>;
  /** Bearer token from login: `bearer(token)` gives the headers. */
  token: string;
  /** `mpf_session=…`, ready for a `cookie` header ('' when signed in without a cookie). */
  cookie: string;
  /** Send as `x-csrf-token` on cookie-authenticated POST/PUT/PATCH/DELETE. */
  csrfToken: string;
  password: string;
}

/** The fields tests read from loosely typed JSON answers; any one may be absent. */
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

/** Headers that authenticate with a bearer token. */
export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** Headers that authenticate with the session cookie, CSRF token included. */
export function withSession(session: Pick<LoggedInUser, 'cookie' | 'csrfToken'>) {
  return { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
}

/** The parsed JSON body of `response`, which must have `status` (the text is shown if not). */
export async function json<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  if (response.status !== status) {
    throw new Error(`expected ${status}, got ${response.status}: ${text}`);
  }
  return JSON.parse(text) as T;
}

type CreateSearchBody = z.input<typeof createSearchBodySchema>;
type PhotoUpload = z.output<typeof photoUploadResponseSchema>;

/**
 * The app's HTTP API as one user (bearer token) or anonymously: raw requests for the tests that
 * look at statuses and headers, and typed calls that create what a test needs and fail loudly
 * when the server refuses.
 */
export class TestClient {
  constructor(
    readonly baseUrl: string,
    readonly as: LoggedInUser | null = null,
  ) {}

  /** One request; `body` is sent as JSON, or as it is when it is a form. */
  request(method: string, url: string, body?: unknown): Promise<Response> {
    const form = body instanceof FormData;
    return fetch(`${this.baseUrl}${url}`, {
      method,
      headers: {
        ...(this.as ? bearer(this.as.token) : {}),
        ...(body === undefined || form ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : form ? body : JSON.stringify(body),
    });
  }

  /** One request answered with its status and parsed (loosely typed) body. */
  async call(method: string, url: string, body?: unknown) {
    const response = await this.request(method, url, body);
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as AnswerBody };
  }

  /** Creates a case (201); with `photo`, enrols it as the reference photo. */
  async createCase(input: Partial<CreateCaseInput> = {}, photo?: string): Promise<CaseView> {
    const fields = { firstName: 'Ada', lastName: 'Example', ...input };
    const created = await json<CaseView>(
      await this.request('POST', '/api/missing-persons', fields),
      201,
    );
    if (photo) {
      const body = new FormData();
      body.append('photos', new Blob([readFileSync(photo)]), path.basename(photo));
      const result = await json<PhotoUpload>(
        await this.request('POST', `/api/missing-persons/${created.id}/photos`, body),
        201,
      );
      if (!result.photos[0]?.enrolled) {
        throw new Error(`the reference photo was not enrolled: ${JSON.stringify(result.photos)}`);
      }
    }
    return created;
  }

  /** Uploads a video file (201). */
  async uploadVideo(file: string, title: string): Promise<VideoView> {
    const body = new FormData();
    body.append('title', title);
    body.append('file', new Blob([readFileSync(file)]), path.basename(file));
    return json<VideoView>(await this.request('POST', '/api/videos', body), 201);
  }

  /** Registers a live feed (201). */
  async addLiveFeed(input: LiveFeedInput): Promise<VideoView> {
    return json<VideoView>(await this.request('POST', '/api/videos/live', input), 201);
  }

  /** Starts a search (201). */
  async startSearch(body: CreateSearchBody): Promise<SearchDetail> {
    return json<SearchDetail>(await this.request('POST', '/api/searches', body), 201);
  }

  async search(searchId: string): Promise<SearchDetail> {
    return json<SearchDetail>(await this.request('GET', `/api/searches/${searchId}`), 200);
  }

  /** Polls the search until its status is one of `statuses`. */
  async waitForSearch(
    searchId: string,
    statuses: string[],
    timeoutMs = 90_000,
  ): Promise<SearchDetail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const search = await this.search(searchId);
      if (statuses.includes(search.status)) return search;
      if (Date.now() > deadline) {
        throw new Error(`search still ${search.status} after ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** `user`'s client of the app at `baseUrl` (anonymous with `null`). */
export const client = (baseUrl: string, user: LoggedInUser | null) => new TestClient(baseUrl, user);

/** Shorthands for one request as `user`, as most tests make them. */
export const get = (baseUrl: string, user: LoggedInUser, url: string) =>
  client(baseUrl, user).request('GET', url);

export const put = (baseUrl: string, user: LoggedInUser, url: string) =>
  client(baseUrl, user).request('PUT', url);

/** Sends `body` (JSON when given) with the user's bearer token. */
export const send = (
  baseUrl: string,
  user: LoggedInUser,
  method: string,
  url: string,
  body?: unknown,
) => client(baseUrl, user).request(method, url, body);

/** One JSON request of `t`'s app as `user` (or anonymously), with the status and parsed body. */
export const call = (
  t: { baseUrl: string },
  user: LoggedInUser | null,
  method: string,
  url: string,
  body?: unknown,
) => client(t.baseUrl, user).call(method, url, body);
