import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../auth/auth.guard.js';
import { contributorsOnly } from '../auth/role.policy.js';
import type { AppDeps } from '../deps.js';
import {
  commonErrors,
  errorResponseSchema,
  idParamsSchema,
  pageOf,
} from '../shared/http-schemas.js';
import {
  caseSchema,
  createCaseBodySchema,
  listCasesQuerySchema,
  patchCaseBodySchema,
  replaceCaseBodySchema,
} from './case.schema.js';
import {
  createCase,
  deleteCase,
  getCase,
  listCases,
  patchCase,
  replaceCase,
} from './case.service.js';

const tags = ['missing persons'];

/** Missing-person cases, scoped to the signed-in user: another user's case answers 404. */
export const caseRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = (app, { deps }) => {
  app.addHook('preHandler', requireUser(deps));
  const actor = (request: { user: { id: string }; ip: string }) => ({
    userId: request.user.id,
    ip: request.ip,
  });

  app.post(
    '/',
    {
      preHandler: contributorsOnly,
      schema: {
        tags,
        summary: 'Open a missing-person case',
        body: createCaseBodySchema,
        response: { 201: caseSchema, ...commonErrors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createCase(deps.db, actor(request), request.body)),
  );

  app.get(
    '/',
    {
      schema: {
        tags,
        summary: 'List your cases, newest first; filter by status, search by name',
        querystring: listCasesQuerySchema,
        response: { 200: pageOf(caseSchema), ...commonErrors },
      },
    },
    (request) => listCases(deps.db, request.user.id, request.query),
  );

  app.get(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Read a case',
        params: idParamsSchema,
        response: { 200: caseSchema, ...commonErrors },
      },
    },
    (request) => getCase(deps.db, request.user.id, request.params.id),
  );

  app.put(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Replace a case: optional fields left out are cleared; status kept unless sent',
        params: idParamsSchema,
        body: replaceCaseBodySchema,
        response: { 200: caseSchema, ...commonErrors },
      },
    },
    (request) => replaceCase(deps.db, actor(request), request.params.id, request.body),
  );

  app.patch(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Change some fields of a case, e.g. its status (missing, found, closed)',
        params: idParamsSchema,
        body: patchCaseBodySchema,
        response: { 200: caseSchema, ...commonErrors },
      },
    },
    (request) => patchCase(deps.db, actor(request), request.params.id, request.body),
  );

  app.delete(
    '/:id',
    {
      schema: {
        tags,
        summary:
          'Delete a case with its photos, embeddings and finished searches (409 IN_USE while a ' +
          'search of it is queued, running or paused)',
        params: idParamsSchema,
        response: { 204: z.null(), 409: errorResponseSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      await deleteCase(deps, actor(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  return Promise.resolve();
};
