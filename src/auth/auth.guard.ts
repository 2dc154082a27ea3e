import type { IncomingHttpHeaders } from 'node:http';
import { fastifyCookie } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps.js';
import { AppError, isAppError } from '../shared/app-error.js';
import { nowIso } from '../shared/clock.js';
import { findLiveTokenWithUser, touchApiToken } from './api-token.repository.js';
import { hashSecret, sameSecret } from './auth.secrets.js';
import type { UserRole } from './auth.table.js';
import { deleteSession, findSessionWithUser, touchSession } from './session.repository.js';

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
  /** The sessions.id (hash of the cookie) when cookie-authenticated. */
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

async function byBearer(deps: AppDeps, secret: string): Promise<Authentication> {
  const token = await findLiveTokenWithUser(deps.db, hashSecret(secret));
  if (!token) throw new AppError('UNAUTHENTICATED', 'The bearer token is unknown or revoked');
  const now = Date.now();
  if (!token.lastUsedAt || now - Date.parse(token.lastUsedAt) > TOKEN_TOUCH_MS) {
    await touchApiToken(deps.db, token.id, new Date(now).toISOString());
  }
  return {
    user: token.user,
    method: 'bearer',
    sessionId: null,
    tokenId: token.id,
    csrfToken: null,
  };
}

async function bySession(deps: AppDeps, cookie: string): Promise<Authentication> {
  const session = await findSessionWithUser(deps.db, hashSecret(cookie));
  if (!session) throw new AppError('UNAUTHENTICATED', 'Not signed in');
  const now = Date.now();
  const idleMs = deps.config.SESSION_IDLE_MINUTES * 60_000;
  const idleFor = now - Date.parse(session.lastSeenAt);
  if (idleFor >= idleMs || now >= Date.parse(session.expiresAt)) {
    await deleteSession(deps.db, session.id);
    throw new AppError('SESSION_EXPIRED', 'The session has expired; sign in again');
  }
  if (idleFor > idleMs * TOUCH_FRACTION) await touchSession(deps.db, session.id, nowIso());
  return {
    user: session.user,
    method: 'session',
    sessionId: session.id,
    tokenId: null,
    csrfToken: session.csrfToken,
  };
}

/**
 * Resolves the caller from `Authorization: Bearer …` (preferred when present) or the session
 * cookie. Throws UNAUTHENTICATED / SESSION_EXPIRED; does not check CSRF.
 */
export async function authenticate(
  deps: AppDeps,
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
  deps: AppDeps,
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
export function requireUser(deps: AppDeps) {
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
