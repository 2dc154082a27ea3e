import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiApp } from '../shared/api-app.js';
import {
  commonErrors,
  errorResponseSchema,
  idParamsSchema,
  pageOf,
  paginationQuerySchema,
} from '../shared/http-schemas.js';
import { contextOf, noContent, publicAuthErrors } from './auth.http.js';
import { authRateLimit, bodyField } from './auth.rate-limit.js';
import { userResponseSchema } from './auth.schema.js';
import {
  acceptInvitationBodySchema,
  createInvitationBodySchema,
  invitationLookupSchema,
  invitationSchema,
  invitationTokenSchema,
} from './invitation.schema.js';
import {
  acceptInvitation,
  createInvitation,
  listInvitationsPage,
  lookUpInvitation,
  revokeInvitation,
  type InvitationDeps,
} from './invitation.service.js';

const tags = ['invitations'];

/** Sending, listing and revoking invitations. */
function registerInvitingRoutes(app: ApiApp, deps: InvitationDeps): void {
  app.post(
    '/invitations',
    {
      preHandler: app.requireUser,
      schema: {
        tags,
        summary: 'Invite someone by e-mail with a role',
        description:
          'Admins invite with any role; an investigator who owns a case invites investigators and ' +
          'viewers. Mails a single-use link valid INVITATION_DAYS days, replacing any pending ' +
          'invitation to the address. 409 EMAIL_TAKEN when the address has an account.',
        body: createInvitationBodySchema,
        response: { 201: invitationSchema, ...commonErrors, 409: errorResponseSchema },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await createInvitation(deps, request.user, request.body, contextOf(request), request.log),
        ),
  );

  app.get(
    '/invitations',
    {
      preHandler: app.requireUser,
      schema: {
        tags,
        summary: 'Invitations, newest first: every one for admins, your own for others',
        querystring: paginationQuerySchema,
        response: { 200: pageOf(invitationSchema), ...commonErrors },
      },
    },
    async (request) => listInvitationsPage(deps, request.user, request.query),
  );

  app.delete(
    '/invitations/:id',
    {
      preHandler: app.requireUser,
      schema: {
        tags,
        summary: 'Revoke a pending invitation: its link stops working',
        params: idParamsSchema,
        response: { 204: noContent, ...commonErrors, 409: errorResponseSchema },
      },
    },
    async (request, reply) => {
      await revokeInvitation(deps, request.user, request.params.id, contextOf(request));
      return reply.code(204).send();
    },
  );
}

/** Reading and accepting an invitation through the mailed link. */
function registerAcceptingRoutes(app: ApiApp, deps: InvitationDeps): void {
  app.get(
    '/auth/invitation',
    {
      preValidation: authRateLimit(app, deps, 'invitation'),
      schema: {
        tags,
        summary: 'Check an invitation link: the invited e-mail and role',
        description: 'A used, revoked or expired link answers 400 INVALID_TOKEN.',
        security: [],
        querystring: z.object({ token: invitationTokenSchema }),
        response: { 200: invitationLookupSchema, ...publicAuthErrors },
      },
    },
    async (request) => lookUpInvitation(deps, request.query.token),
  );

  app.post(
    '/auth/invitation/accept',
    {
      preValidation: authRateLimit(app, deps, 'invitation-accept', [bodyField('username')]),
      schema: {
        tags,
        summary: 'Create the invited account (then log in)',
        description:
          'The e-mail and role come from the invitation. Works whatever REGISTRATION is; the ' +
          'link works once.',
        security: [],
        body: acceptInvitationBodySchema,
        response: { 201: userResponseSchema, ...publicAuthErrors, 409: errorResponseSchema },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send({ user: await acceptInvitation(deps, request.body, contextOf(request)) }),
  );
}

/** Invitations by e-mail: sent by admins and case owners, accepted through the mailed link. */
export const invitationRoutes: FastifyPluginAsyncZod<{ deps: InvitationDeps }> = (
  app,
  { deps },
) => {
  registerInvitingRoutes(app, deps);
  registerAcceptingRoutes(app, deps);
  return Promise.resolve();
};
