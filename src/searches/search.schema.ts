import { z } from 'zod';
import {
  APPEARANCE_ID,
  DETECTION_ID,
  VIDEO_ID,
  appearanceSchema,
  boxSchema,
  detectionImageFields,
  presetSchema,
  prioritySchema,
  searchListItemSchema,
  searchStatusSchema,
  searchVideoSchema,
  searchVideoStatusSchema,
} from '../contracts/search.contract.js';
import { pageOf, paginationQuerySchema } from '../shared/http-schemas.js';

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

export const detectionSchema = z
  .object({
    id: z.uuid().meta({ example: DETECTION_ID }),
    videoId: z.uuid().meta({ example: VIDEO_ID }),
    timeMs: z.number().meta({ example: 3400 }),
    confidence: z.number().meta({ example: 0.83 }),
    box: boxSchema,
    appearanceId: z.uuid().nullable().meta({ example: APPEARANCE_ID }),
    ...detectionImageFields(),
  })
  .meta({ id: 'Detection' });

export const appearanceDetailSchema = appearanceSchema
  .extend({ detections: z.array(detectionSchema) })
  .meta({ id: 'AppearanceDetail' });

export const searchIdParamsSchema = z.object({ id: z.uuid() });
export const sightingsParamsSchema = z.object({ id: z.uuid().meta({ description: 'the case' }) });
export const sightingsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(12),
});
export const appearanceParamsSchema = z.object({ id: z.uuid(), appearanceId: z.uuid() });
export const detectionParamsSchema = z.object({ id: z.uuid(), detectionId: z.uuid() });

export const listSearchesQuerySchema = paginationQuerySchema.extend({
  status: searchStatusSchema.optional(),
  missingPersonId: z
    .uuid()
    .optional()
    .meta({ description: "Only this case's searches (none when the case is not yours)" }),
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

export type SearchDetail = z.output<typeof searchDetailSchema>;
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
