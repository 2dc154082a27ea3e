import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { AppError } from '../shared/app-error.js';

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

/**
 * A hook (preValidation, so malformed attempts count too) limiting an auth endpoint to
 * AUTH_RATE_LIMIT_PER_MINUTE per client IP and, for each account named in the body (username,
 * e-mail), per account. With `perAccountAndIp` the account limit counts each address apart: used
 * for login, where a hard per-account limit would let anyone lock the owner out (the account as a
 * whole is slowed down instead, see login-throttle.service.ts).
 */
export function authRateLimit(
  app: FastifyInstance,
  deps: { config: Pick<Config, 'AUTH_RATE_LIMIT_PER_MINUTE'> },
  name: string,
  accounts: AccountOf[] = [],
  { perAccountAndIp = false } = {},
) {
  const options = { max: deps.config.AUTH_RATE_LIMIT_PER_MINUTE, timeWindow: 60_000 };
  const byIp = app.createRateLimit({ ...options, keyGenerator: (r) => `${name}:ip:${r.ip}` });
  const byAccount = accounts.map((accountOf) => ({
    accountOf,
    limiter: app.createRateLimit({
      ...options,
      keyGenerator: (r) =>
        `${name}:account:${accountOf(r)?.toLowerCase() ?? ''}${perAccountAndIp ? `:ip:${r.ip}` : ''}`,
    }),
  }));

  async function enforce(limiter: Limiter, request: FastifyRequest, reply: FastifyReply) {
    const result = await limiter(request);
    if (result.isAllowed || !result.isExceeded) return;
    void reply.header('retry-after', String(result.ttlInSeconds));
    throw new AppError(
      'RATE_LIMITED',
      `Too many attempts; try again in ${result.ttlInSeconds} seconds`,
      { retryAfterSeconds: result.ttlInSeconds },
    );
  }

  return async function authRateLimitHook(request: FastifyRequest, reply: FastifyReply) {
    await enforce(byIp, request, reply);
    for (const { accountOf, limiter } of byAccount) {
      if (accountOf(request)) await enforce(limiter, request, reply);
    }
  };
}

/** Reads the account an attempt is about (a username or e-mail in the body), if any. */
export type AccountOf = (request: FastifyRequest) => string | undefined;

/** The string field `field` of a JSON body, for per-account limits. */
export const bodyField =
  (field: string): AccountOf =>
  (request) => {
    const body = request.body as Record<string, unknown> | undefined;
    const value = body?.[field];
    return typeof value === 'string' ? value.trim() : undefined;
  };
