import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contributorsOnly } from '../auth/role.policy.js';
import type { ApiApp } from '../shared/api-app.js';
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
  type CaseDeps,
} from './case.service.js';

const tags = ['missing persons'];

const actor = (request: { user: { id: string }; ip: string }) => ({
  userId: request.user.id,
  ip: request.ip,
});

/** Opening and editing a case. */
function registerCaseWriteRoutes(app: ApiApp, deps: CaseDeps): void {
  app.post(
    '/missing-persons',
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
      reply.code(201).send(await createCase(deps, actor(request), request.body)),
  );

  app.put(
    '/missing-persons/:id',
    {
      schema: {
        tags,
        summary: 'Replace a case: optional fields left out are cleared; status kept unless sent',
        params: idParamsSchema,
        body: replaceCaseBodySchema,
        response: { 200: caseSchema, ...commonErrors },
      },
    },
    (request) => replaceCase(deps, actor(request), request.params.id, request.body),
  );

  app.patch(
    '/missing-persons/:id',
    {
      schema: {
        tags,
        summary: 'Change some fields of a case, e.g. its status (missing, found, closed)',
        params: idParamsSchema,
        body: patchCaseBodySchema,
        response: { 200: caseSchema, ...commonErrors },
      },
    },
    (request) => patchCase(deps, actor(request), request.params.id, request.body),
  );
}

/** Listing and reading cases. */
function registerCaseReadRoutes(app: ApiApp, deps: CaseDeps): void {
  app.get(
    '/missing-persons',
    {
      schema: {
        tags,
        summary: 'List your cases, newest first; filter by status, search by name',
        querystring: listCasesQuerySchema,
        response: { 200: pageOf(caseSchema), ...commonErrors },
      },
    },
    (request) => listCases(deps, request.user.id, request.query),
  );

  app.get(
    '/missing-persons/:id',
    {
      schema: {
        tags,
        summary: 'Read a case',
        params: idParamsSchema,
        response: { 200: caseSchema, ...commonErrors },
      },
    },
    (request) => getCase(deps, request.user.id, request.params.id),
  );
}

function registerCaseDeleteRoute(app: ApiApp, deps: CaseDeps): void {
  app.delete(
    '/missing-persons/:id',
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
}

/** Missing-person cases, scoped to the signed-in user: another user's case answers 404. */
export const caseRoutes: FastifyPluginAsyncZod<{ deps: CaseDeps }> = (app, { deps }) => {
  app.addHook('preHandler', app.requireUser);
  registerCaseWriteRoutes(app, deps);
  registerCaseReadRoutes(app, deps);
  registerCaseDeleteRoute(app, deps);
  return Promise.resolve();
};
