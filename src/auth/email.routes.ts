import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, errorResponseSchema } from '../shared/http-schemas.js';
import { contextOf, publicAuthErrors } from './auth.http.js';
import { authRateLimit } from './auth.rate-limit.js';
import {
  changeEmailBodySchema,
  confirmEmailBodySchema,
  confirmedEmailSchema,
} from './auth.schema.js';
import {
  confirmEmail,
  requestEmailChange,
  requestEmailVerification,
  type EmailConfirmDeps,
} from './email.service.js';

const accepted = z.object({ accepted: z.literal(true) });

/** E-mail addresses confirmed by a link: changing the account's e-mail, confirming it, alert addresses. */
export const emailRoutes: FastifyPluginAsyncZod<{ deps: EmailConfirmDeps }> = (app, { deps }) => {
  app.post(
    '/auth/email',
    {
      preHandler: [app.requireUser, authRateLimit(app, deps, 'email', [(r) => r.user.id])],
      schema: {
        tags: ['auth'],
        summary:
          'Change the e-mail: needs the password; applies when the link mailed to it is opened',
        description:
          'Mails a confirmation link to the new address and a notice to the current one. An ' +
          'address of another account gets no link; the answer is the same.',
        body: changeEmailBodySchema,
        response: { 202: accepted, ...commonErrors },
      },
    },
    async (request, reply) => {
      await requestEmailChange(
        deps,
        request.user.id,
        request.body,
        contextOf(request),
        request.log,
      );
      return reply.code(202).send({ accepted: true });
    },
  );

  app.post(
    '/auth/email/verification',
    {
      preHandler: [app.requireUser, authRateLimit(app, deps, 'email', [(r) => r.user.id])],
      schema: {
        tags: ['auth'],
        summary: "Mail a link that confirms the account's current e-mail",
        response: { 202: accepted, ...commonErrors },
      },
    },
    async (request, reply) => {
      await requestEmailVerification(deps, request.user.id, request.log);
      return reply.code(202).send({ accepted: true });
    },
  );

  app.post(
    '/auth/email/confirm',
    {
      preValidation: authRateLimit(app, deps, 'email-confirm'),
      schema: {
        tags: ['auth'],
        summary:
          'Open a confirmation link: the e-mail change applies, or the alert address is allowed',
        description: 'A used or expired token answers 400 INVALID_TOKEN.',
        security: [],
        body: confirmEmailBodySchema,
        response: { 200: confirmedEmailSchema, ...publicAuthErrors, 409: errorResponseSchema },
      },
    },
    async (request) => confirmEmail(deps, request.body.token, contextOf(request)),
  );

  return Promise.resolve();
};
