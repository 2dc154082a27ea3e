import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { contextOf, noContent } from '../auth/auth.http.js';
import { adminOnly } from '../auth/role.policy.js';
import {
  commonErrors,
  errorResponseSchema,
  idParamsSchema,
  pageOf,
} from '../shared/http-schemas.js';
import {
  adminAuditEventSchema,
  adminAuditQuerySchema,
  adminUserSchema,
  listUsersQuerySchema,
  patchUserBodySchema,
  systemStatusSchema,
} from './admin.schema.js';
import {
  listAuditPage,
  listUsersPage,
  signOutUser,
  systemStatus,
  updateUserAccess,
  type SignOutDeps,
  type SystemStatusDeps,
} from './admin.service.js';

const tags = ['admin'];

/** Administration: users and their access, the whole audit log, system status. Admins only. */
export const adminRoutes: FastifyPluginAsyncZod<{
  deps: SignOutDeps & SystemStatusDeps;
}> = (app, { deps }) => {
  app.addHook('preHandler', app.requireUser);
  app.addHook('preHandler', adminOnly);

  app.get(
    '/admin/users',
    {
      schema: {
        tags,
        summary: 'Users by username; filter by part of the name or e-mail, role, status',
        querystring: listUsersQuerySchema,
        response: { 200: pageOf(adminUserSchema), ...commonErrors },
      },
    },
    async (request) => listUsersPage(deps.db, request.query),
  );

  app.patch(
    '/admin/users/:id',
    {
      schema: {
        tags,
        summary: "Change a user's role and/or disable or enable them",
        description:
          'Disabling ends every session and token of the user at once. 409 LAST_ADMIN when no ' +
          'admin able to sign in would remain; 409 INVALID_STATE when disabling yourself.',
        params: idParamsSchema,
        body: patchUserBodySchema,
        response: { 200: adminUserSchema, ...commonErrors, 409: errorResponseSchema },
      },
    },
    async (request) =>
      updateUserAccess(deps, request.user, request.params.id, request.body, contextOf(request)),
  );

  app.delete(
    '/admin/users/:id/sessions',
    {
      schema: {
        tags,
        summary: 'Sign a user out everywhere: end their sessions and revoke their tokens',
        params: idParamsSchema,
        response: { 204: noContent, ...commonErrors },
      },
    },
    async (request, reply) => {
      await signOutUser(deps, request.user, request.params.id, contextOf(request));
      return reply.code(204).send();
    },
  );

  app.get(
    '/admin/audit',
    {
      schema: {
        tags,
        summary: "Everyone's audit events, newest first; filter by user or action",
        querystring: adminAuditQuerySchema,
        response: { 200: pageOf(adminAuditEventSchema), ...commonErrors },
      },
    },
    async (request) => listAuditPage(deps.db, request.query),
  );

  app.get(
    '/admin/status',
    {
      schema: {
        tags,
        summary: 'System status: version, database, registration mode, users, queue and workers',
        response: { 200: systemStatusSchema, ...commonErrors },
      },
    },
    async () => systemStatus(deps),
  );

  return Promise.resolve();
};
