import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contributorsOnly } from '../auth/role.policy.js';
import type { ApiApp } from '../shared/api-app.js';
import { commonErrors, errorResponseSchema, idParamsSchema } from '../shared/http-schemas.js';
import {
  alertSettingsBodySchema,
  alertSettingsSchema,
  liveStatusSchema,
  liveTestBodySchema,
  liveTestResultSchema,
  relayParamsSchema,
} from './live.schema.js';
import {
  getAlertSettings,
  liveStatus,
  relayFile,
  setAlertSettings,
  testLiveFeed,
  type LiveDeps,
} from './live.service.js';

const tags = ['live feeds'];

/** The connection test, the feed state of a search and its HLS relay. */
function registerFeedRoutes(app: ApiApp, deps: LiveDeps): void {
  app.post(
    '/videos/live/test',
    {
      preHandler: contributorsOnly,
      schema: {
        tags,
        summary: 'Test a live feed URL: what it carries, or why it cannot be used',
        description:
          '422 with `URL_NOT_ALLOWED` (an address the server does not connect cameras to, checked ' +
          'before connecting and after every redirect), `UNREACHABLE` (nothing answers, or no such ' +
          'stream), `AUTH_REQUIRED` (credentials missing or wrong), `UNSUPPORTED_STREAM` (not a ' +
          'video ffmpeg reads) or `TIMEOUT`.',
        body: liveTestBodySchema,
        response: { 200: liveTestResultSchema, 422: errorResponseSchema, ...commonErrors },
      },
    },
    async (request) => ({ ok: true as const, ...(await testLiveFeed(deps, request.body.url)) }),
  );

  app.get(
    '/searches/:id/live',
    {
      schema: {
        tags,
        summary: "State of a search's live feeds: online/offline, lag, skipped frames, HLS URL",
        params: idParamsSchema,
        response: { 200: liveStatusSchema, ...commonErrors },
      },
    },
    (request) => liveStatus(deps, request.user.id, request.params.id),
  );

  app.get(
    '/searches/:id/live/:videoId/:file',
    {
      schema: {
        tags,
        summary: 'HLS relay of a live feed of the search (index.m3u8 and its segments)',
        params: relayParamsSchema,
        response: { 200: z.any(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const { id, videoId, file } = request.params;
      const { stream, contentType } = await relayFile(deps, request.user.id, id, videoId, file);
      return reply
        .header('content-type', contentType)
        .header('cache-control', 'no-cache')
        .send(stream);
    },
  );
}

/** The alert settings of a search. */
function registerAlertRoutes(app: ApiApp, deps: LiveDeps): void {
  app.get(
    '/searches/:id/alerts',
    {
      schema: {
        tags,
        summary: "A search's live-match alerts (webhook, e-mail) and end time",
        params: idParamsSchema,
        response: { 200: alertSettingsSchema, ...commonErrors },
      },
    },
    (request) => getAlertSettings(deps, request.user.id, request.params.id),
  );

  app.put(
    '/searches/:id/alerts',
    {
      schema: {
        tags,
        summary: 'Set live-match alerts and the end time of a search (fields left out are kept)',
        description:
          '422 `URL_NOT_ALLOWED` when the webhook host is (or resolves to) an address the server ' +
          'does not send webhooks to (see WEBHOOK_ALLOWED_NETWORKS, WEBHOOK_ALLOW_PRIVATE).',
        params: idParamsSchema,
        body: alertSettingsBodySchema,
        response: { 200: alertSettingsSchema, 422: errorResponseSchema, ...commonErrors },
      },
    },
    (request) =>
      setAlertSettings(deps, request.user.id, request.params.id, request.body, request.log),
  );
}

/** Live feeds: connection test, feed state of a search, its HLS relay and its alert settings. */
export const liveRoutes: FastifyPluginAsyncZod<{ deps: LiveDeps }> = (app, { deps }) => {
  app.addHook('preHandler', app.requireUser);
  registerFeedRoutes(app, deps);
  registerAlertRoutes(app, deps);
  return Promise.resolve();
};
