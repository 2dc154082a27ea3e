import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config.js';
import type { ApiApp } from '../shared/api-app.js';
import { AppError } from '../shared/app-error.js';
import { commonErrors, errorResponseSchema, idParamsSchema } from '../shared/http-schemas.js';
import { multipartRouteOptions, readMultipart } from '../shared/multipart.js';
import { uploadRateLimit } from '../shared/upload-rate-limit.js';
import {
  photoParamsSchema,
  photoSchema,
  photoUploadResponseSchema,
} from './person-photo.schema.js';
import {
  addPhotos,
  getPhoto,
  listPhotos,
  openPhotoImage,
  removePhoto,
  type PhotoServiceDeps,
  type PhotoUpload,
} from './person-photo.service.js';

const tags = ['missing persons'];
const MAX_PHOTOS_PER_REQUEST = 10;

const uploadFormSchema = z.object({
  photos: z
    .array(z.file())
    .meta({ description: `One to ${MAX_PHOTOS_PER_REQUEST} images (JPEG, PNG, WebP, …)` }),
  faceIndex: z.coerce.number().int().min(0).optional().meta({
    description:
      'Which face to enrol when a photo shows several (index into `faces` of the answer)',
    example: 1,
  }),
});

const faceIndexSchema = z.coerce.number().int().min(0).max(100);

async function readUploads(
  request: FastifyRequest,
  maxBytes: number,
): Promise<{ uploads: PhotoUpload[]; faceIndex?: number }> {
  const uploads: PhotoUpload[] = [];
  let faceIndex: number | undefined;
  const limits = { fileSize: maxBytes, files: MAX_PHOTOS_PER_REQUEST, fields: 10 };
  await readMultipart(
    request,
    async (parts) => {
      for await (const part of parts) {
        if (part.type === 'field') {
          if (part.fieldname !== 'faceIndex') continue;
          const parsed = faceIndexSchema.safeParse(part.value);
          if (!parsed.success) {
            throw new AppError('VALIDATION_FAILED', 'faceIndex must be a whole number from 0');
          }
          faceIndex = parsed.data;
        } else if (part.fieldname === 'photos') {
          const data = await part.toBuffer();
          uploads.push({
            fileName: part.filename || null,
            data: part.file.truncated ? null : data,
          });
        } else {
          part.file.resume();
          throw new AppError('VALIDATION_FAILED', `Unexpected file part "${part.fieldname}"`, {
            expected: 'photos',
          });
        }
      }
    },
    { limits, throwFileSizeLimit: false } as Parameters<FastifyRequest['parts']>[0],
  );
  if (uploads.length === 0) {
    throw new AppError('VALIDATION_FAILED', 'Send at least one image in a part named "photos"');
  }
  return { uploads, faceIndex };
}

interface PhotoRouteDeps extends PhotoServiceDeps {
  config: Pick<
    Config,
    | 'MAX_PHOTO_BYTES'
    | 'MAX_PHOTO_PIXELS'
    | 'UPLOAD_RATE_LIMIT_PER_MINUTE'
    | 'USER_STORAGE_QUOTA_BYTES'
  >;
}

function registerPhotoUploadRoute(app: ApiApp, deps: PhotoRouteDeps): void {
  const maxBytes = deps.config.MAX_PHOTO_BYTES;
  app.post(
    '/missing-persons/:id/photos',
    {
      ...multipartRouteOptions,
      preHandler: uploadRateLimit(app, 'photo-upload', deps.config.UPLOAD_RATE_LIMIT_PER_MINUTE),
      schema: {
        tags,
        summary: 'Add reference photos; each is validated, stored and enrolled at once',
        description:
          'multipart/form-data with one or more parts named `photos` and an optional `faceIndex` ' +
          'field. Every photo gets its own result: enrolled with its face box, or an error code ' +
          '(NO_FACE_IN_PHOTO, MULTIPLE_FACES with every face box, FACE_TOO_SMALL, ' +
          `UNSUPPORTED_IMAGE, PAYLOAD_TOO_LARGE above ${maxBytes} bytes, MEDIA_LIMIT_EXCEEDED above ` +
          `MAX_PHOTO_PIXELS, QUOTA_EXCEEDED past USER_STORAGE_QUOTA_BYTES). Photos that are not ` +
          'enrolled are not kept. Answers 201 when at least one photo was enrolled, else 200.',
        consumes: ['multipart/form-data'],
        params: idParamsSchema,
        body: uploadFormSchema,
        response: {
          200: photoUploadResponseSchema,
          201: photoUploadResponseSchema,
          413: errorResponseSchema,
          415: errorResponseSchema,
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const photos = await addPhotos(
        deps,
        { userId: request.user.id, ip: request.ip },
        request.params.id,
        () => readUploads(request, maxBytes),
        { maxBytes, maxPixels: deps.config.MAX_PHOTO_PIXELS },
      );
      return reply.code(photos.some((p) => p.enrolled) ? 201 : 200).send({ photos });
    },
  );
}

function registerPhotoReadRoutes(app: ApiApp, deps: PhotoRouteDeps): void {
  app.get(
    '/missing-persons/:id/photos',
    {
      schema: {
        tags,
        summary: "List a case's enrolled reference photos",
        params: idParamsSchema,
        response: { 200: z.object({ items: z.array(photoSchema) }), ...commonErrors },
      },
    },
    async (request) => ({ items: await listPhotos(deps, request.user.id, request.params.id) }),
  );

  app.get(
    '/missing-persons/:id/photos/:photoId',
    {
      schema: {
        tags,
        summary: 'Read one photo: face box, size, image URL',
        params: photoParamsSchema,
        response: { 200: photoSchema, ...commonErrors },
      },
    },
    (request) => getPhoto(deps, request.user.id, request.params.id, request.params.photoId),
  );
}

function registerPhotoFileRoutes(app: ApiApp, deps: PhotoRouteDeps): void {
  app.get(
    '/missing-persons/:id/photos/:photoId/image',
    {
      schema: {
        tags,
        summary: 'The photo itself (owner only, never cached by shared caches)',
        params: photoParamsSchema,
        produces: ['image/jpeg', 'image/png', 'image/webp'],
        response: { 200: z.any().meta({ description: 'The image bytes' }), ...commonErrors },
      },
    },
    async (request, reply) => {
      const image = await openPhotoImage(
        deps,
        request.user.id,
        request.params.id,
        request.params.photoId,
      );
      return reply
        .header('content-type', image.mimeType)
        .header('content-length', image.sizeBytes)
        .header('cache-control', 'private, max-age=3600')
        .send(image.stream);
    },
  );

  app.delete(
    '/missing-persons/:id/photos/:photoId',
    {
      schema: {
        tags,
        summary: 'Delete a photo with its embedding and file',
        params: photoParamsSchema,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      await removePhoto(
        deps,
        { userId: request.user.id, ip: request.ip },
        request.params.id,
        request.params.photoId,
      );
      return reply.code(204).send(null);
    },
  );
}

/** Reference photos of a case: upload (enrolled at once), list, read, image bytes, delete. */
export const personPhotoRoutes: FastifyPluginAsyncZod<{ deps: PhotoRouteDeps }> = async (
  app,
  { deps },
) => {
  await app.register(multipart);
  app.addHook('preHandler', app.requireUser);
  registerPhotoUploadRoute(app, deps);
  registerPhotoReadRoutes(app, deps);
  registerPhotoFileRoutes(app, deps);
};
