import { z } from 'zod';

export const boxSchema = z
  .object({
    x: z.number().meta({ example: 212 }),
    y: z.number().meta({ example: 96 }),
    width: z.number().meta({ example: 148 }),
    height: z.number().meta({ example: 171 }),
  })
  .meta({ description: 'Face box in pixels of the stored photo' });

export const photoParamsSchema = z.object({ id: z.uuid(), photoId: z.uuid() });

export const photoSchema = z
  .object({
    id: z.uuid(),
    missingPersonId: z.uuid(),
    enrolled: z.literal(true),
    face: z.object({ box: boxSchema }),
    quality: z.number().nullable().meta({ example: 0.93 }),
    width: z.number().int().meta({ example: 640 }),
    height: z.number().int().meta({ example: 480 }),
    mimeType: z.string().meta({ example: 'image/jpeg' }),
    originalName: z.string().nullable().meta({ example: 'maria-2024.jpg' }),
    imageUrl: z.string().meta({
      example: '/api/missing-persons/0b8e…/photos/6f1c…/image',
    }),
    createdAt: z.string(),
  })
  .meta({ id: 'PersonPhoto' });

export const photoUploadResultSchema = z
  .object({
    id: z.uuid().nullable().meta({ description: 'Null when the photo was not kept' }),
    fileName: z.string().nullable().meta({ example: 'maria-2024.jpg' }),
    enrolled: z.boolean(),
    face: z.object({ box: boxSchema }).optional(),
    faces: z
      .array(z.object({ box: boxSchema }))
      .optional()
      .meta({ description: 'Every face found, for MULTIPLE_FACES: re-upload with faceIndex' }),
    error: z
      .object({
        code: z.string().meta({ example: 'NO_FACE_IN_PHOTO' }),
        message: z.string().meta({ example: 'No face was found in the photo' }),
      })
      .optional(),
  })
  .meta({ id: 'PhotoUploadResult' });

export const photoUploadResponseSchema = z.object({ photos: z.array(photoUploadResultSchema) });

export type PhotoView = z.output<typeof photoSchema>;
export type PhotoUploadResult = z.output<typeof photoUploadResultSchema>;
