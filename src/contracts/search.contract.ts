import { z } from 'zod';
import { caseRoleSchema } from './case.contract.js';

/**
 * The search shapes the web app reads (lists, progress, appearances): the API's Zod schemas and
 * their types, defined once here so the server's routes and the web app cannot drift.
 */

/** Example ids of the OpenAPI document, shared with the search schemas built on these. */
export const SEARCH_ID = '6f1c2a9e-3b7d-4c1e-9a55-0d2f8e1b7c40';
export const VIDEO_ID = '0b8e6c1d-52a4-4f3e-8f0a-7a1d9c3e2b61';
export const APPEARANCE_ID = 'c3d9a1f0-8e2b-4b6a-9c7d-1e5f0a2b3c4d';
export const DETECTION_ID = 'e2a7b9c4-1d3f-4a6e-8b0c-5d9f2e1a7b36';

export const searchStatusSchema = z
  .enum(['queued', 'running', 'paused', 'completed', 'cancelled', 'failed'])
  .meta({ example: 'running' });
export const presetSchema = z.enum(['fast', 'balanced', 'thorough']).meta({ example: 'balanced' });
export const prioritySchema = z.enum(['low', 'normal', 'high']).meta({ example: 'normal' });

export const boxSchema = z
  .object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() })
  .meta({ id: 'Box', example: { x: 412, y: 96, width: 88, height: 104 } });

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

/** The frame and face image links of a detection (fresh schemas on each call: none is shared). */
export const detectionImageFields = () => ({
  frameUrl: z
    .string()
    .meta({ example: `/api/searches/${SEARCH_ID}/detections/${DETECTION_ID}/frame` }),
  faceUrl: z
    .string()
    .meta({ example: `/api/searches/${SEARCH_ID}/detections/${DETECTION_ID}/face` }),
});

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
    ...detectionImageFields(),
    clipUrl: z
      .string()
      .nullable()
      .meta({ example: `/api/searches/${SEARCH_ID}/appearances/${APPEARANCE_ID}/clip` }),
  })
  .meta({ id: 'Appearance' });

export const sightingSchema = appearanceSchema
  .extend({
    searchId: z.uuid().meta({ example: SEARCH_ID }),
    videoTitle: z.string().meta({ example: 'Platform 3 camera, 14:00–14:10' }),
  })
  .meta({ id: 'Sighting' });

export type SearchStatus = z.output<typeof searchStatusSchema>;
export type SearchListItem = z.output<typeof searchListItemSchema>;
export type SearchVideo = z.output<typeof searchVideoSchema>;
export type AppearanceDto = z.output<typeof appearanceSchema>;
export type SightingDto = z.output<typeof sightingSchema>;
