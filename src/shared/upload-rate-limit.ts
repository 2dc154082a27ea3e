import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './app-error.js';

/**
 * A preHandler (after `requireUser`) allowing each user `perMinute` uploads to one endpoint,
 * before a single byte of the upload is read: uploads cost disk, ffprobe and face-model time.
 */
export function uploadRateLimit(app: FastifyInstance, name: string, perMinute: number) {
  const limiter = app.createRateLimit({
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => `${name}:user:${request.user.id}`,
  });
  return async function uploadRateLimitHook(request: FastifyRequest, reply: FastifyReply) {
    const result = await limiter(request);
    if (result.isAllowed || !result.isExceeded) return;
    void reply.header('retry-after', String(result.ttlInSeconds)).header('connection', 'close');
    throw new AppError(
      'RATE_LIMITED',
      `Too many uploads; try again in ${result.ttlInSeconds} seconds`,
      { retryAfterSeconds: result.ttlInSeconds },
    );
  };
}
