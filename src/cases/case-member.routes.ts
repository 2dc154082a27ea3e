import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, errorResponseSchema, idParamsSchema } from '../shared/http-schemas.js';
import { addMemberBodySchema, memberListSchema, memberParamsSchema } from './case-member.schema.js';
import { memberSchema, invitedSchema } from '../contracts/case.contract.js';
import { getMembers, removeMember, shareCase, type ShareDeps } from './case-member.service.js';

const tags = ['case sharing'];

/**
 * Who a case is shared with. Members read the list; only the owner adds, changes and revokes
 * (403 FORBIDDEN for editors and viewers); a non-member gets 404 as for a case that does not exist.
 */
export const caseMemberRoutes: FastifyPluginAsyncZod<{ deps: ShareDeps }> = (app, { deps }) => {
  app.addHook('preHandler', app.requireUser);
  const actor = (request: { user: { id: string }; ip: string }) => ({
    userId: request.user.id,
    ip: request.ip,
  });

  app.get(
    '/missing-persons/:id/members',
    {
      schema: {
        tags,
        summary: 'List the members of a case (owner first) with their roles',
        params: idParamsSchema,
        response: { 200: memberListSchema, ...commonErrors },
      },
    },
    (request) => getMembers(deps.db, request.user.id, request.params.id),
  );

  app.post(
    '/missing-persons/:id/members',
    {
      schema: {
        tags,
        summary:
          'Share the case with an existing account (by username or e-mail) as editor or viewer; ' +
          'for a current member, change the role (200). An e-mail with no account is invited ' +
          '(202 `{ invited }`): accepting the mailed link creates the account (a `viewer` for a ' +
          'case viewer, an `investigator` for a case editor) and adds it to the case. ' +
          '404 USER_NOT_FOUND for an unknown username',
        params: idParamsSchema,
        body: addMemberBodySchema,
        response: {
          200: memberSchema,
          201: memberSchema,
          202: invitedSchema,
          409: errorResponseSchema,
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const outcome = await shareCase(
        deps,
        request.user,
        { ip: request.ip, userAgent: request.headers['user-agent'] ?? null, log: request.log },
        request.params.id,
        request.body,
      );
      if ('invited' in outcome) return reply.code(202).send(outcome);
      return reply.code(outcome.added ? 201 : 200).send(outcome.member);
    },
  );

  app.delete(
    '/missing-persons/:id/members/:userId',
    {
      schema: {
        tags,
        summary: "Revoke a member's access at once (owner), or leave a case shared with you",
        params: memberParamsSchema,
        response: { 204: z.null(), 409: errorResponseSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      await removeMember(deps.db, actor(request), request.params.id, request.params.userId);
      return reply.code(204).send(null);
    },
  );

  return Promise.resolve();
};
