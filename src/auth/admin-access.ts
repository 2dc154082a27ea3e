import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { sameSecret } from './auth.secrets.js';
import { adminOnly } from './role.policy.js';

type Hook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** A hook admitting only a signed-in administrator (session or token). */
export function requireAdmin(signedIn: Hook): Hook {
  return async function requireAdminHook(request, reply) {
    await signedIn(request, reply);
    await adminOnly(request);
  };
}

/**
 * A hook for `/api/metrics`: an administrator, or a scraper sending
 * `Authorization: Bearer $METRICS_TOKEN` (a secret of its own, so Prometheus holds no user token).
 */
export function requireAdminOrMetricsToken(
  config: Pick<Config, 'METRICS_TOKEN'>,
  admin: Hook,
): Hook {
  const expected = config.METRICS_TOKEN;
  return async function metricsAccessHook(request, reply) {
    const sent = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    if (expected && sent && sameSecret(sent, expected)) return;
    await admin(request, reply);
  };
}
