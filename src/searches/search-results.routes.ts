import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiApp } from '../shared/api-app.js';
import {
  commonErrors,
  errorResponseSchema,
  pageOf,
  paginationQuerySchema,
} from '../shared/http-schemas.js';
import {
  getAppearance,
  getAppearances,
  getDetectionFrames,
  getDetections,
  getDetectionsSummary,
  getCaseSightings,
  getSummary,
} from './result.service.js';
import { exportSearch, type ExportFile, type SearchExportDeps } from './search-export.service.js';
import {
  openClip,
  openDetectionImage,
  type FileBody,
  type SearchFileDeps,
} from './search-file.service.js';
import {
  appearanceDetailSchema,
  appearanceParamsSchema,
  appearancesQuerySchema,
  detectionParamsSchema,
  detectionSchema,
  detectionsQuerySchema,
  detectionsSummarySchema,
  exportQuerySchema,
  framesPageSchema,
  searchIdParamsSchema,
  sightingsParamsSchema,
  sightingsQuerySchema,
  summarySchema,
} from './search.schema.js';
import { appearanceSchema, sightingSchema } from '../contracts/search.contract.js';

type ResultRouteDeps = SearchFileDeps & SearchExportDeps;

const fileErrors = { ...commonErrors, 416: errorResponseSchema };

function sendFile(reply: FastifyReply, file: FileBody) {
  void reply
    .header('content-type', file.contentType)
    .header('content-length', file.length)
    .header('accept-ranges', file.contentType === 'video/mp4' ? 'bytes' : 'none')
    .header('cache-control', 'private, max-age=3600');
  if (file.range) {
    void reply
      .code(206)
      .header('content-range', `bytes ${file.range.start}-${file.range.end}/${file.range.total}`);
  }
  return reply.send(file.stream);
}

function sendDownload(reply: FastifyReply, file: ExportFile) {
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', `attachment; filename="${file.fileName}"`)
    .send(file.body);
}

/** Appearances: one passage of the face through a video, with its clip. */
function registerAppearanceRoutes(app: ApiApp, deps: ResultRouteDeps): void {
  app.get(
    '/searches/:id/appearances',
    {
      schema: {
        tags: ['search results'],
        summary: 'Passages in which the person was seen, by video then start time',
        params: searchIdParamsSchema,
        querystring: appearancesQuerySchema,
        response: { 200: z.object({ items: z.array(appearanceSchema) }), ...commonErrors },
      },
    },
    async (request) => ({
      items: await getAppearances(deps.db, request.user.id, request.params.id, request.query),
    }),
  );

  app.get(
    '/searches/:id/appearances/:appearanceId',
    {
      schema: {
        tags: ['search results'],
        summary: 'One appearance with every detection in it',
        params: appearanceParamsSchema,
        response: { 200: appearanceDetailSchema, ...commonErrors },
      },
    },
    async (request) =>
      getAppearance(deps.db, request.user.id, request.params.id, request.params.appearanceId),
  );

  app.get(
    '/searches/:id/appearances/:appearanceId/clip',
    {
      schema: {
        tags: ['search results'],
        summary:
          'The H.264 MP4 clip of an appearance (a little before to a little after); Range supported',
        params: appearanceParamsSchema,
        response: fileErrors,
      },
    },
    async (request, reply) =>
      sendFile(
        reply,
        await openClip(
          deps,
          request.user.id,
          request.params.id,
          request.params.appearanceId,
          request.headers.range,
        ),
      ),
  );
}

/** Detections: every matched face, its frame and its crop. */
function registerDetectionRoutes(app: ApiApp, deps: ResultRouteDeps): void {
  app.get(
    '/searches/:id/detections',
    {
      schema: {
        tags: ['search results'],
        summary: 'Every matched face, filtered by video, confidence and time, paginated',
        params: searchIdParamsSchema,
        querystring: detectionsQuerySchema,
        response: { 200: pageOf(detectionSchema), ...commonErrors },
      },
    },
    async (request) => getDetections(deps.db, request.user.id, request.params.id, request.query),
  );

  app.get(
    '/searches/:id/detections/summary',
    {
      schema: {
        tags: ['search results'],
        summary: 'Detection counts per video and confidence band, and a histogram over time',
        params: searchIdParamsSchema,
        response: { 200: detectionsSummarySchema, ...commonErrors },
      },
    },
    async (request) => getDetectionsSummary(deps.db, request.user.id, request.params.id),
  );

  app.get(
    '/searches/:id/detections/frames',
    {
      schema: {
        tags: ['search results'],
        summary: 'Frame and face-crop URLs of the detections, paginated',
        params: searchIdParamsSchema,
        querystring: paginationQuerySchema,
        response: { 200: framesPageSchema, ...commonErrors },
      },
    },
    async (request) =>
      getDetectionFrames(
        deps.db,
        request.user.id,
        request.params.id,
        request.query.page,
        request.query.pageSize,
      ),
  );

  // GET /searches/:id/detections/:detectionId/frame, GET /searches/:id/detections/:detectionId/face
  for (const kind of ['frame', 'face'] as const) {
    app.get(
      `/searches/:id/detections/:detectionId/${kind}`,
      {
        schema: {
          tags: ['search results'],
          summary:
            kind === 'frame'
              ? 'The frame of a detection as JPEG, with the face outlined'
              : 'The face of a detection as a JPEG crop',
          params: detectionParamsSchema,
          response: commonErrors,
        },
      },
      async (request, reply) =>
        sendFile(
          reply,
          await openDetectionImage(
            deps,
            request.user.id,
            request.params.id,
            request.params.detectionId,
            kind,
          ),
        ),
    );
  }
}

/** The summary and the export of the results. */
function registerSummaryRoutes(app: ApiApp, deps: ResultRouteDeps): void {
  app.get(
    '/searches/:id/summary',
    {
      schema: {
        tags: ['search results'],
        summary: 'Was the person found: first, last and best sighting, and per-video appearances',
        params: searchIdParamsSchema,
        response: { 200: summarySchema, ...commonErrors },
      },
    },
    async (request) => getSummary(deps.db, request.user.id, request.params.id),
  );

  app.get(
    '/missing-persons/:id/sightings',
    {
      schema: {
        tags: ['search results'],
        summary: "A case's best appearances over all its searches, best first",
        params: sightingsParamsSchema,
        querystring: sightingsQuerySchema,
        response: { 200: z.object({ items: z.array(sightingSchema) }), ...commonErrors },
      },
    },
    async (request) => ({
      items: await getCaseSightings(
        deps.db,
        request.user.id,
        request.params.id,
        request.query.limit,
      ),
    }),
  );

  app.get(
    '/searches/:id/export',
    {
      schema: {
        tags: ['search results'],
        summary:
          'Download the results: JSON, CSV (one row per detection) or a ZIP with report.html, ' +
          'results.json, frames/, faces/ and clips/',
        params: searchIdParamsSchema,
        querystring: exportQuerySchema,
        response: commonErrors,
      },
    },
    async (request, reply) => {
      const file = await exportSearch(
        deps,
        { userId: request.user.id, ip: request.ip },
        request.params.id,
        request.query.format,
      );
      return sendDownload(reply, file);
    },
  );
}

/** Results of a search: appearances, detections, summaries, images, clips and exports. */
export const searchResultRoutes: FastifyPluginAsyncZod<{ deps: ResultRouteDeps }> = (
  app,
  { deps },
) => {
  app.addHook('preHandler', app.requireUser);
  registerAppearanceRoutes(app, deps);
  registerDetectionRoutes(app, deps);
  registerSummaryRoutes(app, deps);
  return Promise.resolve();
};
