import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contributorsOnly } from '../auth/role.policy.js';
import { PRESETS } from '../recognition/presets.js';
import type { ApiApp } from '../shared/api-app.js';
import { commonErrors, errorResponseSchema, pageOf } from '../shared/http-schemas.js';
import {
  createSearchBodySchema,
  listSearchesQuerySchema,
  presetsResponseSchema,
  searchDetailSchema,
  searchIdParamsSchema,
  searchStatusResponseSchema,
  transitionResponseSchema,
} from './search.schema.js';
import { searchListItemSchema, searchVideoSchema } from '../contracts/search.contract.js';
import {
  applySearchAction,
  createSearch,
  getSearch,
  getSearchVideos,
  listSearches,
  type SearchServiceDeps,
} from './search.service.js';
import { resumeSearchQuota, startSearchQuota, type SearchQuotaDeps } from './search.quota.js';
import type { SearchAction } from './search.state.js';

type SearchRouteDeps = SearchServiceDeps & SearchQuotaDeps;

const transitionErrors = { ...commonErrors, 409: errorResponseSchema };

const actionSummaries: Record<SearchAction, string> = {
  pause:
    'Pause a queued or running search: analysis stops within a second and keeps its checkpoint',
  resume: 'Resume a paused search from where each video stopped',
  cancel: 'Cancel a queued, running or paused search; results found so far are kept',
};

const actor = (request: { user: { id: string }; ip: string }) => ({
  userId: request.user.id,
  ip: request.ip,
});

function registerPresetsRoute(app: ApiApp): void {
  app.get(
    '/searches/presets',
    {
      schema: {
        tags: ['searches'],
        summary: 'The speed presets and their default settings, for a search form',
        response: { 200: presetsResponseSchema, ...commonErrors },
      },
    },
    () => ({
      defaultPreset: 'balanced' as const,
      presets: Object.values(PRESETS).map((settings) => ({
        preset: settings.preset,
        sampledFps: settings.sampledFps,
        detector: settings.detector,
        threshold: settings.threshold,
      })),
    }),
  );
}

function registerSearchCreateRoute(app: ApiApp, deps: SearchRouteDeps): void {
  app.post(
    '/searches',
    {
      preHandler: [contributorsOnly, startSearchQuota(deps)],
      schema: {
        tags: ['searches'],
        summary: "Search one or more of the caller's videos for a case's person",
        description:
          'Queues one analysis job per video. 400 VALIDATION_FAILED when the case has no enrolled ' +
          'photo or a video is unknown, failed or a live feed. 429 LIMIT_REACHED past ' +
          'MAX_ACTIVE_SEARCHES_PER_USER queued or running searches or MAX_LIVE_FEEDS_PER_USER ' +
          'live feeds watched at once; 403 PRIORITY_RESERVED for `high` unless admin; 403 ' +
          'FORBIDDEN for viewers.',
        body: createSearchBodySchema,
        response: { 201: searchDetailSchema, ...commonErrors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createSearch(deps, actor(request), request.body)),
  );
}

/** Listing and reading searches, with per-video progress. */
function registerSearchReadRoutes(app: ApiApp, deps: SearchRouteDeps): void {
  app.get(
    '/searches',
    {
      schema: {
        tags: ['searches'],
        summary: "The caller's searches, newest first",
        querystring: listSearchesQuerySchema,
        response: { 200: pageOf(searchListItemSchema), ...commonErrors },
      },
    },
    async (request) => listSearches(deps, request.user.id, request.query),
  );

  app.get(
    '/searches/:id',
    {
      schema: {
        tags: ['searches'],
        summary: 'A search with its settings and the progress of each video',
        params: searchIdParamsSchema,
        response: { 200: searchDetailSchema, ...commonErrors },
      },
    },
    async (request) => getSearch(deps, request.user.id, request.params.id),
  );

  app.get(
    '/searches/:id/videos',
    {
      schema: {
        tags: ['searches'],
        summary: 'Per-video status, progress, speed and errors of a search',
        params: searchIdParamsSchema,
        response: { 200: z.object({ items: z.array(searchVideoSchema) }), ...commonErrors },
      },
    },
    async (request) => ({
      items: await getSearchVideos(deps.db, request.user.id, request.params.id),
    }),
  );

  app.get(
    '/searches/:id/status',
    {
      schema: {
        tags: ['searches'],
        summary: "A search's status and each video's progress (cheap to poll)",
        params: searchIdParamsSchema,
        response: { 200: searchStatusResponseSchema, ...commonErrors },
      },
    },
    async (request) => {
      const search = await getSearch(deps, request.user.id, request.params.id);
      return { status: search.status, videos: search.videos };
    },
  );
}

/** The state machine: pause, resume, cancel. */
function registerSearchActionRoutes(app: ApiApp, deps: SearchRouteDeps): void {
  // PUT /searches/:id/pause, PUT /searches/:id/resume, PUT /searches/:id/cancel
  for (const action of ['pause', 'resume', 'cancel'] as const) {
    app.put(
      `/searches/:id/${action}`,
      {
        ...(action === 'resume' ? { preHandler: resumeSearchQuota(deps) } : {}),
        schema: {
          tags: ['searches'],
          summary: actionSummaries[action],
          description: 'An invalid transition answers 409 INVALID_STATE with `details.status`.',
          params: searchIdParamsSchema,
          response: { 200: transitionResponseSchema, ...transitionErrors },
        },
      },
      async (request) => applySearchAction(deps, actor(request), request.params.id, action),
    );
  }
}

/** Searches: create, list, read, per-video progress, and the pause/resume/cancel state machine. */
export const searchRoutes: FastifyPluginAsyncZod<{ deps: SearchRouteDeps }> = (app, { deps }) => {
  app.addHook('preHandler', app.requireUser);
  registerPresetsRoute(app);
  registerSearchCreateRoute(app, deps);
  registerSearchReadRoutes(app, deps);
  registerSearchActionRoutes(app, deps);
  return Promise.resolve();
};
