import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** The app as route modules see it: Zod schemas type each route's params, body and reply. */
export type ApiApp = Parameters<FastifyPluginAsyncZod>[0];
