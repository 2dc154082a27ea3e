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
import type { LoginCache } from './login-cache.js';
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
  /** Logins found live a moment ago, by cookie or token hash; without them every check reads. */
  logins?: LoginCaches;
}

export interface LoginCaches {
  sessions: LoginCache<SessionWithUser>;
  tokens: LoginCache<TokenWithUser>;
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

/**
 * Keeps a session alive, writing last_seen_at only once a small part of the idle time passed;
 * returns the time written, or null when it was recent enough.
 */
async function keepAlive(deps: GuardDeps, sessionId: string, lastSeenAt: string, now: number) {
  const idleMs = deps.config.SESSION_IDLE_MINUTES * 60_000;
  if (now - Date.parse(lastSeenAt) <= idleMs * TOUCH_FRACTION) return null;
  const at = new Date(now).toISOString();
  await touchSession(deps.db, sessionId, at);
  deps.logins?.sessions.update(sessionId, (session) => ({ ...session, lastSeenAt: at }));
  return at;
}

const sessionExpired = () =>
  new AppError('SESSION_EXPIRED', 'The session has expired; sign in again');

/** Whether a kept token may be used without reading it again: not expired, nor its session. */
const tokenUsable = (deps: GuardDeps, token: TokenWithUser, now: number) =>
  !(token.expiresAt && now >= Date.parse(token.expiresAt)) &&
  (!token.sessionId || (token.session !== null && !sessionOver(deps.config, token.session, now)));

/**
 * The token with this hash: from the cache when it was found live a moment ago and still is,
 * else from the database (a token that looks over is always read again before it is refused).
 */
async function findToken(deps: GuardDeps, tokenHash: string, now: number) {
  const cache = deps.logins?.tokens;
  const kept = cache?.get(tokenHash, now);
  if (kept && tokenUsable(deps, kept, now)) return kept;
  const generation = cache?.generation ?? 0;
  const token = await findLiveTokenWithUser(deps.db, { tokenHash });
  if (token && tokenUsable(deps, token, now)) cache?.set(tokenHash, token, now, generation);
  return token;
}

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

/** Records that a token was used (at most once a minute) and keeps its login session alive. */
async function touchToken(deps: GuardDeps, tokenHash: string, token: TokenWithUser, now: number) {
  const { sessionId, session } = token;
  const seenAt =
    sessionId && session && (await keepAlive(deps, sessionId, session.lastSeenAt, now));
  const usedAt = !token.lastUsedAt || now - Date.parse(token.lastUsedAt) > TOKEN_TOUCH_MS;
  if (usedAt) await touchApiToken(deps.db, token.id, new Date(now).toISOString());
  if (!seenAt && !usedAt) return;
  deps.logins?.tokens.update(tokenHash, (kept) => ({
    ...kept,
    lastUsedAt: usedAt ? new Date(now).toISOString() : kept.lastUsedAt,
    session: seenAt && kept.session ? { ...kept.session, lastSeenAt: seenAt } : kept.session,
  }));
}

async function byBearer(deps: GuardDeps, secret: string): Promise<Authentication> {
  const now = Date.now();
  const tokenHash = hashSecret(secret);
  const token = await liveToken(deps, await findToken(deps, tokenHash, now), now);
  await touchToken(deps, tokenHash, token, now);
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

/** The session with this id: kept a moment ago and still live, or read (as `findToken`). */
async function findSession(deps: GuardDeps, sessionId: string, now: number) {
  const cache = deps.logins?.sessions;
  const kept = cache?.get(sessionId, now);
  if (kept && !sessionOver(deps.config, kept, now)) return kept;
  const generation = cache?.generation ?? 0;
  const session = await findSessionWithUser(deps.db, sessionId);
  if (session && !sessionOver(deps.config, session, now)) {
    cache?.set(sessionId, session, now, generation);
  }
  return session;
}

async function bySession(deps: GuardDeps, cookie: string): Promise<Authentication> {
  const now = Date.now();
  const session = await liveSession(deps, await findSession(deps, hashSecret(cookie), now), now);
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
