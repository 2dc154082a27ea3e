import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps.js';
import { requireUser } from './auth.guard.js';
import { sameSecret } from './auth.secrets.js';
import { adminOnly } from './role.policy.js';

/** A hook admitting only a signed-in administrator (session or token). */
export function requireAdmin(deps: AppDeps) {
  const signedIn = requireUser(deps);
  return async function requireAdminHook(request: FastifyRequest, reply: FastifyReply) {
    await signedIn(request, reply);
    await adminOnly(request);
  };
}

/**
 * A hook for `/api/metrics`: an administrator, or a scraper sending
 * `Authorization: Bearer $METRICS_TOKEN` (a secret of its own, so Prometheus holds no user token).
 */
export function requireAdminOrMetricsToken(deps: AppDeps) {
  const admin = requireAdmin(deps);
  const expected = deps.config.METRICS_TOKEN;
  return async function metricsAccessHook(request: FastifyRequest, reply: FastifyReply) {
    const sent = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    if (expected && sent && sameSecret(sent, expected)) return;
    await admin(request, reply);
  };
}
