import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import type { Config } from '../config.js';
import { requireAdmin, requireAdminOrMetricsToken } from './admin-access.js';
import { authenticateRaw, requireUser, type Authentication, type GuardDeps } from './auth.guard.js';

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
  deps: GuardDeps & { config: Pick<Config, 'METRICS_TOKEN'> };
}

/**
 * The access checks as decorations of the app, so route modules of every feature guard their
 * routes with `app.requireUser` instead of importing the auth feature. Not encapsulated (Fastify's
 * `skip-override`): the decorations are visible to every plugin registered after it.
 */
async function authGuardPlugin(
  app: Parameters<FastifyPluginAsync<AuthGuardOptions>>[0],
  { deps }: AuthGuardOptions,
): Promise<void> {
  const signedIn = requireUser(deps);
  const admin = requireAdmin(signedIn);
  app.decorate('requireUser', signedIn);
  app.decorate('requireAdmin', admin);
  app.decorate('requireAdminOrMetricsToken', requireAdminOrMetricsToken(deps.config, admin));
  app.decorate('authenticateSocket', (headers: IncomingHttpHeaders) =>
    authenticateRaw(deps, headers),
  );
  return Promise.resolve();
}

export const authGuard: FastifyPluginAsync<AuthGuardOptions> = Object.assign(authGuardPlugin, {
  [Symbol.for('skip-override')]: true,
});
