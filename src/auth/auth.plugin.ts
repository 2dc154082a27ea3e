import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import type { Config } from '../config.js';
import { requireAdmin, requireAdminOrMetricsToken } from './admin-access.js';
import { AUTH_CHANNEL } from '../events/event.types.js';
import {
  authenticateRaw,
  requireUser,
  type Authentication,
  type GuardDeps,
  type LoginCaches,
} from './auth.guard.js';
import { onLoginsChanged } from './auth.revocation.js';
import { LoginCache } from './login-cache.js';

type AccessHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

declare module 'fastify' {
  interface FastifyInstance {
    /** A `preHandler` admitting signed-in callers; sets `request.user` (see auth.guard). */
    requireUser: AccessHook;
    /** A `preHandler` admitting only a signed-in administrator. */
    requireAdmin: AccessHook;
    /** For `/api/metrics`: an administrator, or a scraper sending the METRICS_TOKEN. */
    requireAdminOrMetricsToken: AccessHook;
    /** The caller of a WebSocket upgrade, or null when not signed in. */
    authenticateSocket: (headers: IncomingHttpHeaders) => Promise<Authentication | null>;
  }
}

export interface AuthGuardOptions {
  deps: GuardDeps & { config: Pick<Config, 'METRICS_TOKEN' | 'LOGIN_CACHE_SECONDS'> };
}

/**
 * The access checks as decorations of the app, so route modules of every feature guard their
 * routes with `app.requireUser` instead of importing the auth feature. Not encapsulated (Fastify's
 * `skip-override`): the decorations are visible to every plugin registered after it.
 */
async function authGuardPlugin(
  app: Parameters<FastifyPluginAsync<AuthGuardOptions>>[0],
  options: AuthGuardOptions,
): Promise<void> {
  const deps = { ...options.deps, logins: await keepLogins(app, options.deps) };
  const signedIn = requireUser(deps);
  const admin = requireAdmin(signedIn);
  app.decorate('requireUser', signedIn);
  app.decorate('requireAdmin', admin);
  app.decorate('requireAdminOrMetricsToken', requireAdminOrMetricsToken(deps.config, admin));
  app.decorate('authenticateSocket', (headers: IncomingHttpHeaders) =>
    authenticateRaw(deps, headers),
  );
}

/**
 * The logins this process keeps for a moment (login-cache.ts), dropped for a user as soon as one
 * of their logins ends or their account changes: here at once, elsewhere through the bus.
 */
async function keepLogins(app: Parameters<FastifyPluginAsync>[0], deps: AuthGuardOptions['deps']) {
  const ttlMs = deps.config.LOGIN_CACHE_SECONDS * 1000;
  const logins: LoginCaches = { sessions: new LoginCache(ttlMs), tokens: new LoginCache(ttlMs) };
  const forget = (userId: string) => {
    logins.sessions.forgetUser(userId);
    logins.tokens.forgetUser(userId);
  };
  const removeLocal = onLoginsChanged(deps.events, forget);
  const unsubscribe = await deps.events.subscribe(AUTH_CHANNEL, (event) => {
    if (event.type === 'auth.revoked' || event.type === 'auth.changed') forget(event.userId);
  });
  app.addHook('onClose', async () => {
    removeLocal();
    logins.sessions.clear();
    logins.tokens.clear();
    await unsubscribe();
  });
  return logins;
}

export const authGuard: FastifyPluginAsync<AuthGuardOptions> = Object.assign(authGuardPlugin, {
  [Symbol.for('skip-override')]: true,
});
