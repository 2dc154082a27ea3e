import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { commonErrors } from '../shared/http-schemas.js';
import { clearSessionCookie, contextOf, noContent } from './auth.http.js';
import { sessionListSchema, sessionParamsSchema } from './auth.schema.js';
import { endSession, listSessions, logoutEverywhere, type SessionDeps } from './session.service.js';

/** The caller's signed-in browsers and scripts: list them, end one, or end them all. */
export const sessionRoutes: FastifyPluginAsyncZod<{ deps: SessionDeps }> = (app, { deps }) => {
  app.addHook('preHandler', app.requireUser);

  app.get(
    '/auth/sessions',
    {
      schema: {
        tags: ['auth'],
        summary: "The caller's active sessions: device, IP, created, last seen, this one",
        response: { 200: sessionListSchema, ...commonErrors },
      },
    },
    async (request) => ({ items: await listSessions(deps, request.authentication) }),
  );

  app.delete(
    '/auth/sessions/:id',
    {
      schema: {
        tags: ['auth'],
        summary: 'End one session and the bearer token of its login',
        params: sessionParamsSchema,
        response: { 204: noContent, ...commonErrors },
      },
    },
    async (request, reply) => {
      await endSession(deps, request.authentication, request.params.id, contextOf(request));
      return reply.code(204).send();
    },
  );

  app.post(
    '/auth/logout-all',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log out everywhere: end every session of the caller, this one included',
        description: 'Login bearer tokens end with their sessions; personal API tokens stay.',
        response: { 204: noContent, ...commonErrors },
      },
    },
    async (request, reply) => {
      await logoutEverywhere(deps, request.authentication, contextOf(request));
      clearSessionCookie(reply);
      return reply.code(204).send();
    },
  );

  return Promise.resolve();
};
