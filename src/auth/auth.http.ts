import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../config.js';
import { errorResponseSchema } from '../shared/http-schemas.js';
import { SESSION_COOKIE } from './auth.guard.js';
import type { RequestContext } from './auth.service.js';

/** Where the request came from, for sessions and the audit log. */
export const contextOf = (request: FastifyRequest): RequestContext => ({
  ip: request.ip,
  userAgent: request.headers['user-agent'] ?? null,
});

export const noContent = z.undefined().describe('No content');

/** Errors the public auth endpoints can give. */
export const publicAuthErrors = {
  400: errorResponseSchema,
  429: errorResponseSchema,
};

function secureCookie(config: Config, request: FastifyRequest): boolean {
  if (config.COOKIE_SECURE === 'auto') return request.protocol === 'https';
  return config.COOKIE_SECURE === 'true';
}

export function setSessionCookie(
  config: Config,
  request: FastifyRequest,
  reply: FastifyReply,
  secret: string,
  expiresAt: string,
): void {
  void reply.setCookie(SESSION_COOKIE, secret, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: secureCookie(config, request),
    expires: new Date(expiresAt),
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
