import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Db } from '../db/database.js';
import type { JobQueue } from '../jobs/job.types.js';
import { commonErrors } from '../shared/http-schemas.js';
import {
  dashboardStatsSchema,
  recentSearchesQuerySchema,
  searchItemsSchema,
} from './dashboard.schema.js';
import { activeSearches, getDashboardStats, recentSearches } from './dashboard.service.js';

export const dashboardRoutes: FastifyPluginAsyncZod<{
  deps: { db: Db; fields: FieldCipher; queue: Pick<JobQueue, 'stats'> };
}> = (app, { deps }) => {
  app.addHook('preHandler', app.requireUser);

  app.get(
    '/dashboard/stats',
    {
      schema: {
        tags: ['dashboard'],
        summary:
          "Counts of the caller's cases, footage, searches and matches (and queue load, for admins)",
        response: { 200: dashboardStatsSchema, ...commonErrors },
      },
    },
    async (request) => getDashboardStats(deps, request.user),
  );

  app.get(
    '/dashboard/recent-searches',
    {
      schema: {
        tags: ['dashboard'],
        summary: "The caller's latest searches",
        querystring: recentSearchesQuerySchema,
        response: { 200: searchItemsSchema, ...commonErrors },
      },
    },
    async (request) => ({
      items: await recentSearches(deps, request.user.id, request.query.limit),
    }),
  );

  app.get(
    '/dashboard/active-searches',
    {
      schema: {
        tags: ['dashboard'],
        summary: "The caller's queued, running and paused searches with their progress",
        response: { 200: searchItemsSchema, ...commonErrors },
      },
    },
    async (request) => ({ items: await activeSearches(deps, request.user.id) }),
  );
  return Promise.resolve();
};
