import { z } from 'zod';
import { paginationQuerySchema } from '../shared/http-schemas.js';

export const videoKindSchema = z.enum(['upload', 'live']).meta({ example: 'upload' });
export const videoStatusSchema = z
  .enum(['uploaded', 'processing', 'ready', 'failed', 'offline'])
  .meta({ example: 'ready' });
export const playbackStatusSchema = z
  .enum(['none', 'pending', 'processing', 'ready', 'failed'])
  .meta({
    example: 'none',
    description:
      '`none`: the upload plays in browsers as it is; otherwise the state of the H.264/AAC ' +
      'rendition made in the background',
  });

const title = z.string().trim().min(1).max(200).meta({ example: 'Platform 3 camera, 20 Nov' });
const description = z
  .string()
  .max(5000)
  .nullable()
  .optional()
  .meta({ example: 'Exported from the station NVR, 17:00–18:00' });

export const videoSchema = z
  .object({
    id: z.uuid(),
    owned: z.boolean().meta({
      description: 'False for footage another user added to a search of a case shared with you',
    }),
    kind: videoKindSchema,
    status: videoStatusSchema,
    title: z.string().meta({ example: 'Platform 3 camera, 20 Nov' }),
    description: z.string().nullable(),
    durationMs: z.number().nullable().meta({ example: 3_600_000 }),
    fps: z.number().nullable().meta({ example: 25 }),
    width: z.number().int().nullable().meta({ example: 1920 }),
    height: z.number().int().nullable().meta({ example: 1080 }),
    codec: z.string().nullable().meta({ example: 'h264' }),
    sizeBytes: z.number().int().nullable().meta({ example: 734_003_200 }),
    checksum: z.string().nullable().meta({ description: 'SHA-256 of the uploaded file' }),
    sourceUrl: z.string().nullable().meta({
      example: 'rtsp://admin:***@10.0.0.7:554/stream1',
      description: 'Live feeds only; the password is masked',
    }),
    posterUrl: z.string().nullable().meta({ example: '/api/videos/5d1e…/poster' }),
    streamUrl: z.string().nullable().meta({ example: '/api/videos/5d1e…/stream' }),
    playback: z.object({
      status: playbackStatusSchema,
      progress: z.number().nullable().meta({ example: 0.42, description: '0..1 while processing' }),
    }),
    error: z.object({ code: z.string(), message: z.string().nullable() }).nullable(),
    createdAt: z.string().meta({ example: '2026-11-21T09:00:00.000Z' }),
    updatedAt: z.string().meta({ example: '2026-11-21T09:00:00.000Z' }),
  })
  .meta({ id: 'Video' });

export const listVideosQuerySchema = paginationQuerySchema.extend({
  kind: videoKindSchema.optional(),
  status: videoStatusSchema.optional(),
  q: z.string().trim().min(1).max(200).optional().meta({ example: 'platform' }),
});

export const replaceVideoBodySchema = z.object({ title, description });

export const patchVideoBodySchema = replaceVideoBodySchema
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'Send title or description');

export const uploadFieldsSchema = z.object({ title, description });

export const uploadFormSchema = z.object({
  title,
  description: z.string().max(5000).optional(),
  file: z.file().meta({ description: 'The footage; any container and codec ffprobe reads' }),
});

export const liveFeedBodySchema = z.object({
  title,
  url: z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .meta({ example: 'rtsp://admin:secret@10.0.0.7:554/stream1' }),
  description,
});

export type VideoView = z.output<typeof videoSchema>;
export type ListVideosQuery = z.output<typeof listVideosQuerySchema>;
export type ReplaceVideoInput = z.output<typeof replaceVideoBodySchema>;
export type PatchVideoInput = z.output<typeof patchVideoBodySchema>;
export type LiveFeedInput = z.output<typeof liveFeedBodySchema>;
