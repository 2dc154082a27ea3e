import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/database.js';
import { commonErrors, pageOf, paginationQuerySchema } from '../shared/http-schemas.js';
import { listOwnAudit } from './audit.service.js';

const auditEventSchema = z
  .object({
    id: z.uuid(),
    action: z.string().meta({ example: 'auth.login' }),
    targetType: z.string().nullable().meta({ example: 'api_token' }),
    targetId: z.string().nullable(),
    description: z.string().nullable().meta({ example: 'Signed in with a password' }),
    ip: z.string().nullable().meta({ example: '203.0.113.7' }),
    createdAt: z.iso.datetime().meta({ example: '2026-05-01T09:30:00.000Z' }),
  })
  .meta({ id: 'AuditEvent' });

export const auditRoutes: FastifyPluginAsyncZod<{ deps: { db: Db } }> = (app, { deps }) => {
  app.addHook('preHandler', app.requireUser);

  app.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary:
          "The caller's own security events (sign-ins, password and token changes), newest first",
        querystring: paginationQuerySchema,
        response: { 200: pageOf(auditEventSchema), ...commonErrors },
      },
    },
    async (request) =>
      listOwnAudit(deps.db, request.user.id, request.query.page, request.query.pageSize),
  );
  return Promise.resolve();
};
