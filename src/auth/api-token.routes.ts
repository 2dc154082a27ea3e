import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { commonErrors, idParamsSchema } from '../shared/http-schemas.js';
import { contextOf, noContent } from './auth.http.js';
import { createdTokenSchema } from '../contracts/auth.contract.js';
import { createTokenBodySchema, tokenListSchema } from './auth.schema.js';
import {
  createApiToken,
  listApiTokens,
  revokeOwnApiToken,
  type ApiTokenDeps,
} from './api-token.service.js';

/** Bearer tokens for scripts: list (never the secret), create (secret shown once), revoke. */
export const apiTokenRoutes: FastifyPluginAsyncZod<{ deps: ApiTokenDeps }> = (app, { deps }) => {
  app.addHook('preHandler', app.requireUser);

  app.get(
    '/auth/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: "The caller's personal API tokens that still work (with expiry and last use)",
        response: { 200: tokenListSchema, ...commonErrors },
      },
    },
    async (request) => ({ items: await listApiTokens(deps.db, request.user.id) }),
  );

  app.post(
    '/auth/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an API token; its secret is shown only in this answer',
        body: createTokenBodySchema,
        response: { 201: createdTokenSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const { ip } = contextOf(request);
      const created = await createApiToken(deps.db, request.user.id, request.body, ip);
      return reply.code(201).send(created);
    },
  );

  app.delete(
    '/auth/tokens/:id',
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke one of your API tokens',
        params: idParamsSchema,
        response: { 204: noContent, ...commonErrors },
      },
    },
    async (request, reply) => {
      const { ip } = contextOf(request);
      await revokeOwnApiToken(deps, request.user.id, request.params.id, ip);
      return reply.code(204).send();
    },
  );

  return Promise.resolve();
};
