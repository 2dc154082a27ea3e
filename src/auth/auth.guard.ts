import type { IncomingHttpHeaders } from 'node:http';
import { fastifyCookie } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { EventBus } from '../events/event.types.js';
import { AppError, isAppError } from '../shared/app-error.js';
import {
  findLiveTokenWithUser,
  touchApiToken,
  type TokenWithUser,
} from './api-token.repository.js';
import { expireSession } from './auth.revocation.js';
import { hashSecret, sameSecret } from './auth.secrets.js';
import type { UserRole } from '../db/tables/auth.table.js';
import { findSessionWithUser, touchSession, type SessionWithUser } from './session.repository.js';

export const SESSION_COOKIE = 'mpf_session';
export const CSRF_HEADER = 'x-csrf-token';

/** The signed-in user as every feature sees it. */
export interface AuthUser {
  id: string;
  username: string;
  email: string;
  role: UserRole;
}

export type AuthMethod = 'session' | 'bearer';

/** Who is asking and with which credential (the session or token a logout ends). */
export interface Authentication {
  user: AuthUser;
  method: AuthMethod;
  /** The login session: the cookie's, or the one a login bearer token was issued with. */
  sessionId: string | null;
  /** The api_tokens.id when bearer-authenticated. */
  tokenId: string | null;
  /** The session's CSRF token; null for bearer requests, which need none. */
  csrfToken: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireUser`; only read it on routes guarded by it. */
    user: AuthUser;
    authMethod: AuthMethod;
    authentication: Authentication;
  }
}

/** What checking a login reads: sessions, tokens, the idle timeout, the bus announcing expiry. */
export interface GuardDeps {
  db: Db;
  config: Pick<Config, 'SESSION_IDLE_MINUTES'>;
  events: EventBus;
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// Writing last_seen_at on every request would turn each read into a write; a small fraction of the
// idle timeout keeps the expiry accurate to within that fraction.
const TOUCH_FRACTION = 1 / 20;
const TOKEN_TOUCH_MS = 60_000;

function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw new AppError('UNAUTHENTICATED', 'Malformed Authorization header');
  return match[1];
}

function sessionCookie(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.cookie;
  return header ? fastifyCookie.parse(header)[SESSION_COOKIE] : undefined;
}

/** Whether a session has run out of time: idle too long, or past its absolute lifetime. */
export function sessionOver(
  config: Pick<Config, 'SESSION_IDLE_MINUTES'>,
  session: { lastSeenAt: string; expiresAt: string },
  now: number,
): boolean {
  const idleMs = config.SESSION_IDLE_MINUTES * 60_000;
  return now - Date.parse(session.lastSeenAt) >= idleMs || now >= Date.parse(session.expiresAt);
}

/** Keeps a session alive, writing last_seen_at only once a small part of the idle time passed. */
async function keepAlive(deps: GuardDeps, sessionId: string, lastSeenAt: string, now: number) {
  const idleMs = deps.config.SESSION_IDLE_MINUTES * 60_000;
  if (now - Date.parse(lastSeenAt) > idleMs * TOUCH_FRACTION) {
    await touchSession(deps.db, sessionId, new Date(now).toISOString());
  }
}

const sessionExpired = () =>
  new AppError('SESSION_EXPIRED', 'The session has expired; sign in again');

/**
 * A token that still works. A personal token lives until its expiry; a login token lives exactly
 * as long as its session: using it keeps the session alive, and it dies with it.
 */
async function liveToken(
  deps: GuardDeps,
  token: TokenWithUser | undefined,
  now: number,
): Promise<TokenWithUser> {
  if (!token) throw new AppError('UNAUTHENTICATED', 'The bearer token is unknown or revoked');
  if (token.expiresAt && now >= Date.parse(token.expiresAt)) {
    throw new AppError('UNAUTHENTICATED', 'The bearer token has expired');
  }
  if (token.sessionId && (!token.session || sessionOver(deps.config, token.session, now))) {
    await expireSession(deps, token.user.id, token.sessionId);
    throw sessionExpired();
  }
  return token;
}

async function byBearer(deps: GuardDeps, secret: string): Promise<Authentication> {
  const now = Date.now();
  const token = await liveToken(
    deps,
    await findLiveTokenWithUser(deps.db, { tokenHash: hashSecret(secret) }),
    now,
  );
  if (token.sessionId && token.session) {
    await keepAlive(deps, token.sessionId, token.session.lastSeenAt, now);
  }
  if (!token.lastUsedAt || now - Date.parse(token.lastUsedAt) > TOKEN_TOUCH_MS) {
    await touchApiToken(deps.db, token.id, new Date(now).toISOString());
  }
  return {
    user: token.user,
    method: 'bearer',
    sessionId: token.sessionId,
    tokenId: token.id,
    csrfToken: null,
  };
}

async function liveSession(
  deps: GuardDeps,
  session: SessionWithUser | undefined,
  now: number,
): Promise<SessionWithUser> {
  if (!session) throw new AppError('UNAUTHENTICATED', 'Not signed in');
  if (sessionOver(deps.config, session, now)) {
    await expireSession(deps, session.user.id, session.id);
    throw sessionExpired();
  }
  return session;
}

async function bySession(deps: GuardDeps, cookie: string): Promise<Authentication> {
  const now = Date.now();
  const session = await liveSession(
    deps,
    await findSessionWithUser(deps.db, hashSecret(cookie)),
    now,
  );
  await keepAlive(deps, session.id, session.lastSeenAt, now);
  return {
    user: session.user,
    method: 'session',
    sessionId: session.id,
    tokenId: null,
    csrfToken: session.csrfToken,
  };
}

/**
 * Whether the login behind `auth` still works, without counting as activity: for connections
 * that outlive the request that opened them (WebSockets), checked on a timer.
 */
export async function stillSignedIn(deps: GuardDeps, auth: Authentication): Promise<boolean> {
  const now = Date.now();
  try {
    if (auth.tokenId) {
      await liveToken(deps, await findLiveTokenWithUser(deps.db, { id: auth.tokenId }), now);
    } else if (auth.sessionId) {
      await liveSession(deps, await findSessionWithUser(deps.db, auth.sessionId), now);
    } else {
      return false;
    }
    return true;
  } catch (error) {
    if (isAppError(error)) return false;
    throw error;
  }
}

/**
 * Resolves the caller from `Authorization: Bearer …` (preferred when present) or the session
 * cookie. Throws UNAUTHENTICATED / SESSION_EXPIRED; does not check CSRF.
 */
export async function authenticate(
  deps: GuardDeps,
  headers: IncomingHttpHeaders,
): Promise<Authentication> {
  const token = bearerToken(headers);
  if (token) return byBearer(deps, token);
  const cookie = sessionCookie(headers);
  if (cookie) return bySession(deps, cookie);
  throw new AppError('UNAUTHENTICATED', 'Sign in, or send Authorization: Bearer <token>');
}

/** For the WebSocket upgrade: the caller from its headers, or null when not signed in. */
export async function authenticateRaw(
  deps: GuardDeps,
  headers: IncomingHttpHeaders,
): Promise<Authentication | null> {
  try {
    return await authenticate(deps, headers);
  } catch (error) {
    if (isAppError(error)) return null;
    throw error;
  }
}

function checkCsrf(request: FastifyRequest, auth: Authentication): void {
  if (auth.method !== 'session' || !UNSAFE_METHODS.has(request.method)) return;
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || !auth.csrfToken || !sameSecret(sent, auth.csrfToken)) {
    throw new AppError(
      'CSRF_FAILED',
      `Cookie-authenticated ${request.method} requests need the ${CSRF_HEADER} header from login`,
    );
  }
}

/**
 * A `preHandler` hook that admits only signed-in callers and sets `request.user`,
 * `request.authMethod` and `request.authentication`. Cookie-authenticated unsafe requests must
 * carry the session's CSRF token in `x-csrf-token`.
 */
export function requireUser(deps: GuardDeps) {
  return async function requireUserHook(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    let auth: Authentication;
    try {
      auth = await authenticate(deps, request.headers);
    } catch (error) {
      if (isAppError(error) && error.code === 'SESSION_EXPIRED') {
        void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      }
      throw error;
    }
    checkCsrf(request, auth);
    request.user = auth.user;
    request.authMethod = auth.method;
    request.authentication = auth;
  };
}
