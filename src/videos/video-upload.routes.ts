import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { contributorsOnly } from '../auth/role.policy.js';
import { AppError, isAppError } from '../shared/app-error.js';
import { commonErrors, errorResponseSchema } from '../shared/http-schemas.js';
import { multipartRouteOptions, readMultipart } from '../shared/multipart.js';
import { uploadRateLimit } from '../shared/upload-rate-limit.js';
import {
  completeUpload,
  discardUpload,
  storeUpload,
  type StoredUpload,
  type UploadDeps,
} from './video-upload.service.js';
import { uploadFieldsSchema, uploadFormSchema, videoSchema } from './video.schema.js';

const tags = ['videos'];

/**
 * Reads the form as it streams: text fields are kept, the `file` part goes straight to storage.
 * Fields may come before or after the file.
 */
async function receiveUpload(deps: UploadDeps, request: FastifyRequest) {
  const fields: Record<string, string> = {};
  let upload: StoredUpload | undefined;
  let fileName: string | null = null;
  try {
    await readMultipart(request, async (parts) => {
      for await (const part of parts) {
        if (part.type === 'field') {
          if (typeof part.value === 'string') fields[part.fieldname] = part.value;
        } else if (part.fieldname === 'file' && !upload) {
          fileName = part.filename || null;
          upload = await storeUpload(deps, request.user.id, part.file);
        } else {
          part.file.resume();
          throw new AppError('VALIDATION_FAILED', 'Send exactly one file, in a part named "file"');
        }
      }
    });
    if (!upload) throw new AppError('VALIDATION_FAILED', 'Send the footage in a part named "file"');
    const parsed = uploadFieldsSchema.safeParse(fields);
    if (!parsed.success) {
      throw new AppError(
        'VALIDATION_FAILED',
        parsed.error.issues.map((i) => `body.${i.path.join('.')}: ${i.message}`).join('; '),
        {
          issues: parsed.error.issues.map((i) => ({
            path: `body.${i.path.join('.')}`,
            message: i.message,
          })),
        },
      );
    }
    return {
      upload,
      details: {
        ...parsed.data,
        description: parsed.data.description ?? null,
        originalName: fileName,
      },
    };
  } catch (error) {
    if (upload) await discardUpload(deps, request.user.id, upload);
    throw error;
  }
}

/** `POST /api/videos`: footage uploads, streamed to storage and checked by ffprobe. */
export const videoUploadRoutes: FastifyPluginAsyncZod<{ deps: UploadDeps }> = async (
  app,
  { deps },
) => {
  await app.register(multipart, {
    // One byte over the limit reaches storage, which then refuses the file and deletes it.
    limits: { fileSize: deps.config.MAX_VIDEO_BYTES + 1, files: 1, fields: 10, fieldSize: 10_000 },
    throwFileSizeLimit: false,
  });
  app.addHook('preHandler', app.requireUser);

  app.post(
    '/videos',
    {
      ...multipartRouteOptions,
      preHandler: [
        contributorsOnly,
        uploadRateLimit(app, 'video-upload', deps.config.UPLOAD_RATE_LIMIT_PER_MINUTE),
      ],
      schema: {
        tags,
        summary: 'Upload footage (multipart: title, description?, file)',
        description:
          'Streams the file to storage (never buffered in memory). Limit: MAX_VIDEO_BYTES ' +
          `(${deps.config.MAX_VIDEO_BYTES} bytes here) → 413 PAYLOAD_TOO_LARGE. The content is ` +
          'checked with ffprobe, not by its name: 415 UNSUPPORTED_VIDEO / NO_VIDEO_STREAM, 400 ' +
          'EMPTY_FILE; a playlist or list (m3u8, ffconcat) → 415 UNSUPPORTED_VIDEO; a picture ' +
          'over MAX_VIDEO_PIXELS/MAX_VIDEO_SIDE or a duration over MAX_VIDEO_SECONDS → 422 ' +
          'MEDIA_LIMIT_EXCEEDED; past USER_STORAGE_QUOTA_BYTES → 413 QUOTA_EXCEEDED; a body that ' +
          'is not multipart → 415 UNSUPPORTED_MEDIA_TYPE. ' +
          'The same file uploaded again by the same user → 409 DUPLICATE_VIDEO with ' +
          '`details.videoId`. Nothing is stored when the upload is refused. Footage browsers ' +
          'cannot play gets an H.264/AAC rendition in the background (`playback`).',
        consumes: ['multipart/form-data'],
        body: uploadFormSchema,
        response: {
          201: videoSchema,
          409: errorResponseSchema,
          413: errorResponseSchema,
          415: errorResponseSchema,
          422: errorResponseSchema,
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const { upload, details } = await receiveUpload(deps, request).catch((error: unknown) => {
        // A refused upload may still be arriving (gigabytes of it): end the connection after
        // the answer instead of reading the rest. One past the size limit always ends it: the
        // limit may be found only once the rest has arrived (while the file's key is looked up).
        const tooLarge = isAppError(error) && error.code === 'PAYLOAD_TOO_LARGE';
        if (!request.raw.complete || tooLarge) reply.header('connection', 'close');
        throw error;
      });
      const video = await completeUpload(
        deps,
        { userId: request.user.id, ip: request.ip },
        upload,
        details,
      );
      return reply.code(201).send(video);
    },
  );
};
