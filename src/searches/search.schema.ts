import { z } from 'zod';
import { caseRoleSchema } from '../cases/case.schema.js';
import { pageOf, paginationQuerySchema } from '../shared/http-schemas.js';

const SEARCH_ID = '6f1c2a9e-3b7d-4c1e-9a55-0d2f8e1b7c40';
const VIDEO_ID = '0b8e6c1d-52a4-4f3e-8f0a-7a1d9c3e2b61';
const APPEARANCE_ID = 'c3d9a1f0-8e2b-4b6a-9c7d-1e5f0a2b3c4d';
const DETECTION_ID = 'e2a7b9c4-1d3f-4a6e-8b0c-5d9f2e1a7b36';

export const searchStatusSchema = z
  .enum(['queued', 'running', 'paused', 'completed', 'cancelled', 'failed'])
  .meta({ example: 'running' });
export const presetSchema = z.enum(['fast', 'balanced', 'thorough']).meta({ example: 'balanced' });
export const prioritySchema = z.enum(['low', 'normal', 'high']).meta({ example: 'normal' });

export const boxSchema = z
  .object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() })
  .meta({ id: 'Box', example: { x: 412, y: 96, width: 88, height: 104 } });

export const createSearchBodySchema = z.object({
  missingPersonId: z.uuid().meta({ example: '5a0f3c2e-9b1d-4e7a-8c6f-2d4b1a0e9f37' }),
  videoIds: z
    .array(z.uuid())
    .min(1)
    .max(100)
    .meta({ example: [VIDEO_ID] }),
  preset: presetSchema.default('balanced'),
  threshold: z.number().min(0).max(1).optional().meta({ example: 0.6 }),
  sampledFps: z.number().min(0.1).max(30).optional().meta({ example: 5 }),
  priority: prioritySchema.default('normal'),
});
export type CreateSearchInput = z.output<typeof createSearchBodySchema>;

const missingPersonRefSchema = z.object({
  id: z.uuid(),
  firstName: z.string().meta({ example: 'Maria' }),
  lastName: z.string().meta({ example: 'Lopez' }),
});

export const searchListItemSchema = z
  .object({
    id: z.uuid().meta({ example: SEARCH_ID }),
    role: caseRoleSchema.meta({ description: "Your role in the search's case" }),
    status: searchStatusSchema,
    preset: presetSchema,
    threshold: z.number().meta({ example: 0.6 }),
    priority: prioritySchema,
    missingPerson: missingPersonRefSchema,
    videoCount: z.number().int().meta({ example: 2 }),
    matchCount: z.number().int().meta({ example: 3, description: 'appearances found so far' }),
    progress: z.number().meta({ example: 42.5, description: 'percent of footage analysed' }),
    createdAt: z.string().meta({ example: '2026-05-01T09:30:00.000Z' }),
    startedAt: z.string().nullable().meta({ example: '2026-05-01T09:30:02.000Z' }),
    finishedAt: z.string().nullable().meta({ example: null }),
  })
  .meta({ id: 'SearchListItem' });

export const searchVideoStatusSchema = searchStatusSchema;

export const searchVideoSchema = z
  .object({
    videoId: z.uuid().meta({ example: VIDEO_ID }),
    title: z.string().meta({ example: 'Platform 3 camera, 14:00–14:10' }),
    kind: z.enum(['upload', 'live']).meta({ example: 'upload' }),
    status: searchVideoStatusSchema,
    processedMs: z.number().meta({ example: 125_000 }),
    durationMs: z.number().nullable().meta({ example: 600_000 }),
    progress: z.number().meta({ example: 20.8 }),
    framesAnalysed: z.number().int().meta({ example: 625 }),
    fps: z.number().nullable().meta({ example: 24.3, description: 'analysed frames per second' }),
    remainingMs: z.number().nullable().meta({ example: 97_000 }),
    error: z.object({ code: z.string(), message: z.string() }).nullable().meta({ example: null }),
    streamUrl: z.string().meta({ example: `/api/videos/${VIDEO_ID}/stream` }),
    posterUrl: z
      .string()
      .nullable()
      .meta({ example: `/api/videos/${VIDEO_ID}/poster` }),
    width: z.number().int().nullable().meta({ example: 1280 }),
    height: z.number().int().nullable().meta({ example: 720 }),
  })
  .meta({ id: 'SearchVideo' });

export const searchDetailSchema = searchListItemSchema
  .extend({
    sampledFps: z.number().meta({ example: 5 }),
    videos: z.array(searchVideoSchema),
  })
  .meta({ id: 'SearchDetail' });

export const videoProgressSchema = searchVideoSchema.pick({
  videoId: true,
  status: true,
  processedMs: true,
  durationMs: true,
  progress: true,
  framesAnalysed: true,
  fps: true,
});

export const searchStatusResponseSchema = z
  .object({ status: searchStatusSchema, videos: z.array(videoProgressSchema) })
  .meta({ id: 'SearchStatus' });

export const transitionResponseSchema = z.object({ status: searchStatusSchema });

export const appearanceSchema = z
  .object({
    id: z.uuid().meta({ example: APPEARANCE_ID }),
    videoId: z.uuid().meta({ example: VIDEO_ID }),
    startMs: z.number().meta({ example: 2000 }),
    endMs: z.number().meta({ example: 5000 }),
    bestScore: z.number().meta({ example: 0.83 }),
    detectionCount: z.number().int().meta({ example: 16 }),
    box: boxSchema,
    bestTimeMs: z.number().meta({ example: 3400 }),
    bestDetectionId: z.uuid().nullable().meta({ example: DETECTION_ID }),
    frameUrl: z
      .string()
      .meta({ example: `/api/searches/${SEARCH_ID}/detections/${DETECTION_ID}/frame` }),
    faceUrl: z
      .string()
      .meta({ example: `/api/searches/${SEARCH_ID}/detections/${DETECTION_ID}/face` }),
    clipUrl: z
      .string()
      .nullable()
      .meta({ example: `/api/searches/${SEARCH_ID}/appearances/${APPEARANCE_ID}/clip` }),
  })
  .meta({ id: 'Appearance' });

export const detectionSchema = z
  .object({
    id: z.uuid().meta({ example: DETECTION_ID }),
    videoId: z.uuid().meta({ example: VIDEO_ID }),
    timeMs: z.number().meta({ example: 3400 }),
    confidence: z.number().meta({ example: 0.83 }),
    box: boxSchema,
    appearanceId: z.uuid().nullable().meta({ example: APPEARANCE_ID }),
    frameUrl: z
      .string()
      .meta({ example: `/api/searches/${SEARCH_ID}/detections/${DETECTION_ID}/frame` }),
    faceUrl: z
      .string()
      .meta({ example: `/api/searches/${SEARCH_ID}/detections/${DETECTION_ID}/face` }),
  })
  .meta({ id: 'Detection' });

export const appearanceDetailSchema = appearanceSchema
  .extend({ detections: z.array(detectionSchema) })
  .meta({ id: 'AppearanceDetail' });

export const searchIdParamsSchema = z.object({ id: z.uuid() });
export const appearanceParamsSchema = z.object({ id: z.uuid(), appearanceId: z.uuid() });
export const detectionParamsSchema = z.object({ id: z.uuid(), detectionId: z.uuid() });

export const listSearchesQuerySchema = paginationQuerySchema.extend({
  status: searchStatusSchema.optional(),
});

export const appearancesQuerySchema = z.object({
  videoId: z.uuid().optional(),
  minScore: z.coerce.number().min(0).max(1).optional().meta({ example: 0.7 }),
});

export const detectionsQuerySchema = paginationQuerySchema.extend({
  videoId: z.uuid().optional(),
  minConfidence: z.coerce.number().min(0).max(1).optional().meta({ example: 0.7 }),
  fromMs: z.coerce.number().min(0).optional().meta({ example: 0 }),
  toMs: z.coerce.number().min(0).optional().meta({ example: 60_000 }),
  sort: z.enum(['time', '-confidence']).default('time'),
});
export type DetectionsQuery = z.output<typeof detectionsQuerySchema>;

export const summarySchema = z
  .object({
    status: searchStatusSchema,
    found: z.boolean().meta({ example: true }),
    appearanceCount: z.number().int().meta({ example: 1 }),
    firstSeen: z.object({ videoId: z.uuid(), timeMs: z.number() }).nullable(),
    lastSeen: z.object({ videoId: z.uuid(), timeMs: z.number() }).nullable(),
    bestMatch: appearanceSchema.nullable(),
    videos: z.array(
      z.object({
        videoId: z.uuid(),
        title: z.string(),
        status: searchVideoStatusSchema,
        appearanceCount: z.number().int(),
        firstSeenMs: z.number().nullable(),
        lastSeenMs: z.number().nullable(),
        bestScore: z.number().nullable(),
        appearances: z.array(appearanceSchema),
      }),
    ),
  })
  .meta({ id: 'SearchSummary' });

export const detectionsSummarySchema = z
  .object({
    total: z.number().int().meta({ example: 16 }),
    perVideo: z.array(
      z.object({
        videoId: z.uuid(),
        count: z.number().int(),
        bands: z.object({
          high: z.number().int().meta({ description: 'confidence ≥ 0.8' }),
          medium: z.number().int().meta({ description: '0.6 ≤ confidence < 0.8' }),
          low: z.number().int().meta({ description: 'confidence < 0.6' }),
        }),
      }),
    ),
    histogram: z.array(
      z.object({
        videoId: z.uuid(),
        bucketStartMs: z.number(),
        bucketMs: z.number(),
        count: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'DetectionsSummary' });

export const framesPageSchema = pageOf(
  z.object({
    detectionId: z.uuid(),
    appearanceId: z.uuid().nullable(),
    videoId: z.uuid(),
    timeMs: z.number(),
    confidence: z.number(),
    frameUrl: z.string(),
    faceUrl: z.string(),
  }),
);

export const exportQuerySchema = z.object({
  format: z.enum(['json', 'csv', 'zip']).default('json').meta({ example: 'csv' }),
});
export type ExportFormat = z.output<typeof exportQuerySchema>['format'];

export type SearchListItem = z.output<typeof searchListItemSchema>;
export type SearchDetail = z.output<typeof searchDetailSchema>;
export type SearchVideo = z.output<typeof searchVideoSchema>;
export type AppearanceDto = z.output<typeof appearanceSchema>;
export type DetectionDto = z.output<typeof detectionSchema>;
export type SearchSummary = z.output<typeof summarySchema>;
export type DetectionsSummary = z.output<typeof detectionsSummarySchema>;

export const presetsResponseSchema = z.object({
  defaultPreset: z.enum(['fast', 'balanced', 'thorough']),
  presets: z.array(
    z.object({
      preset: z.enum(['fast', 'balanced', 'thorough']).meta({ example: 'balanced' }),
      sampledFps: z.number().meta({ example: 5 }),
      detector: z.enum(['ssd', 'tiny']).meta({ example: 'tiny' }),
      threshold: z.number().meta({ example: 0.95 }),
    }),
  ),
});
