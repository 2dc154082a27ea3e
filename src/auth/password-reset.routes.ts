import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf, noContent, publicAuthErrors } from './auth.http.js';
import { authRateLimit, bodyField } from './auth.rate-limit.js';
import { resetConfirmBodySchema, resetRequestBodySchema } from './auth.schema.js';
import {
  confirmPasswordReset,
  requestPasswordReset,
  type PasswordResetDeps,
} from './password-reset.service.js';

/** Password reset by e-mail: request a single-use link, then set a new password with it. */
export const passwordResetRoutes: FastifyPluginAsyncZod<{ deps: PasswordResetDeps }> = (
  app,
  { deps },
) => {
  app.post(
    '/auth/password-reset',
    {
      preValidation: authRateLimit(app, deps, 'password-reset', [bodyField('email')]),
      schema: {
        tags: ['auth'],
        summary: 'E-mail a password reset link',
        description:
          'Always answers 202, whether or not the e-mail belongs to an account. The link expires ' +
          'after PASSWORD_RESET_MINUTES and works once.',
        security: [],
        body: resetRequestBodySchema,
        response: { 202: z.object({ accepted: z.literal(true) }), ...publicAuthErrors },
      },
    },
    async (request, reply) => {
      // Answered before the account is even looked up: neither the answer nor its timing tells
      // whether the e-mail belongs to someone.
      requestPasswordReset(deps, request.body.email, contextOf(request), request.log).catch(
        (error: unknown) => request.log.error({ err: error }, 'password reset request failed'),
      );
      return reply.code(202).send({ accepted: true });
    },
  );

  app.post(
    '/auth/password-reset/confirm',
    {
      preValidation: authRateLimit(app, deps, 'password-reset-confirm'),
      schema: {
        tags: ['auth'],
        summary: 'Set a new password with the token from the reset e-mail',
        description:
          'Ends every session of the account. A used or expired token answers 400 INVALID_TOKEN.',
        security: [],
        body: resetConfirmBodySchema,
        response: { 204: noContent, ...publicAuthErrors },
      },
    },
    async (request, reply) => {
      await confirmPasswordReset(deps, request.body, contextOf(request));
      return reply.code(204).send();
    },
  );

  return Promise.resolve();
};
