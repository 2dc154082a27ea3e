import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contributorsOnly } from '../auth/role.policy.js';
import type { ApiApp } from '../shared/api-app.js';
import { isAppError } from '../shared/app-error.js';
import {
  commonErrors,
  errorResponseSchema,
  idParamsSchema,
  pageOf,
} from '../shared/http-schemas.js';
import { openVideoPoster, openVideoStream } from './video-stream.service.js';
import {
  listVideosQuerySchema,
  liveFeedBodySchema,
  patchVideoBodySchema,
  replaceVideoBodySchema,
  videoSchema,
} from './video.schema.js';
import {
  deleteVideo,
  getVideo,
  listVideos,
  patchVideo,
  registerLiveFeed,
  replaceVideo,
  type VideoDeps,
} from './video.service.js';

const tags = ['videos'];

const actor = (request: { user: { id: string }; ip: string }) => ({
  userId: request.user.id,
  ip: request.ip,
});

function registerLiveFeedRoute(app: ApiApp, deps: VideoDeps): void {
  app.post(
    '/videos/live',
    {
      preHandler: contributorsOnly,
      schema: {
        tags,
        summary: 'Register a live camera feed (rtsp, rtsps, http, https: HLS, MPEG-TS, MJPEG)',
        description:
          '422 `URL_NOT_ALLOWED` when the host is (or resolves to) an address the server does not ' +
          'connect cameras to: loopback, link-local, its own, … (see LIVE_FEED_ALLOWED_NETWORKS).',
        body: liveFeedBodySchema,
        response: { 201: videoSchema, 422: errorResponseSchema, ...commonErrors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await registerLiveFeed(deps, actor(request), request.body)),
  );
}

/** Listing and reading footage. */
function registerVideoReadRoutes(app: ApiApp, deps: VideoDeps): void {
  app.get(
    '/videos',
    {
      schema: {
        tags,
        summary: 'List your videos and live feeds, newest first; filter by kind, status, title',
        querystring: listVideosQuerySchema,
        response: { 200: pageOf(videoSchema), ...commonErrors },
      },
    },
    (request) => listVideos(deps, request.user.id, request.query),
  );

  app.get(
    '/videos/:id',
    {
      schema: {
        tags,
        summary: 'Read a video: metadata, poster and stream URLs, rendition progress',
        params: idParamsSchema,
        response: { 200: videoSchema, ...commonErrors },
      },
    },
    (request) => getVideo(deps, request.user.id, request.params.id),
  );
}

/** Changing and deleting footage. */
function registerVideoEditRoutes(app: ApiApp, deps: VideoDeps): void {
  app.put(
    '/videos/:id',
    {
      schema: {
        tags,
        summary: 'Replace title and description (description cleared when left out)',
        params: idParamsSchema,
        body: replaceVideoBodySchema,
        response: { 200: videoSchema, ...commonErrors },
      },
    },
    (request) => replaceVideo(deps, actor(request), request.params.id, request.body),
  );

  app.patch(
    '/videos/:id',
    {
      schema: {
        tags,
        summary: 'Change the title or the description',
        params: idParamsSchema,
        body: patchVideoBodySchema,
        response: { 200: videoSchema, ...commonErrors },
      },
    },
    (request) => patchVideo(deps, actor(request), request.params.id, request.body),
  );

  app.delete(
    '/videos/:id',
    {
      schema: {
        tags,
        summary:
          'Delete a video, its files and its results in finished searches (409 IN_USE while a ' +
          'search using it is queued, running or paused)',
        params: idParamsSchema,
        response: { 204: z.null(), 409: errorResponseSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      await deleteVideo(deps, actor(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}

/** The footage itself (HTTP Range) and its poster image. */
function registerVideoFileRoutes(app: ApiApp, deps: VideoDeps): void {
  app.get(
    '/videos/:id/stream',
    {
      schema: {
        tags,
        summary: 'The footage for a player, with HTTP Range (206); the rendition once ready',
        params: idParamsSchema,
        headers: z.object({
          range: z.string().optional().meta({ example: 'bytes=0-1048575' }),
        }),
        produces: ['video/mp4', 'application/octet-stream'],
        response: {
          200: z.any().meta({ description: 'The whole file' }),
          206: z.any().meta({ description: 'The requested byte range' }),
          416: errorResponseSchema,
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      reply.header('accept-ranges', 'bytes').header('cache-control', 'private');
      try {
        const bytes = await openVideoStream(
          deps,
          request.user.id,
          request.params.id,
          request.headers.range,
        );
        if (bytes.contentRange) reply.header('content-range', bytes.contentRange);
        return reply
          .code(bytes.status)
          .header('content-type', bytes.contentType)
          .header('content-length', bytes.contentLength)
          .send(bytes.stream);
      } catch (error) {
        if (isAppError(error) && error.code === 'RANGE_NOT_SATISFIABLE') {
          const { sizeBytes } = error.details as { sizeBytes: number };
          reply.header('content-range', `bytes */${sizeBytes}`);
        }
        throw error;
      }
    },
  );

  app.get(
    '/videos/:id/poster',
    {
      schema: {
        tags,
        summary: 'Poster frame of the video (JPEG)',
        params: idParamsSchema,
        produces: ['image/jpeg'],
        response: { 200: z.any().meta({ description: 'JPEG image' }), ...commonErrors },
      },
    },
    async (request, reply) => {
      const poster = await openVideoPoster(deps, request.user.id, request.params.id);
      return reply
        .header('content-type', 'image/jpeg')
        .header('content-length', poster.contentLength)
        .header('cache-control', 'private, max-age=3600')
        .send(poster.stream);
    },
  );
}

/** Footage and live feeds of the signed-in user: another user's video answers 404. */
export const videoRoutes: FastifyPluginAsyncZod<{ deps: VideoDeps }> = (app, { deps }) => {
  app.addHook('preHandler', app.requireUser);
  registerLiveFeedRoute(app, deps);
  registerVideoReadRoutes(app, deps);
  registerVideoEditRoutes(app, deps);
  registerVideoFileRoutes(app, deps);
  return Promise.resolve();
};
