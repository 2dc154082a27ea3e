import type { Multipart } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyRouteSchemaDef } from 'fastify/types/schema.js';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { $ZodType } from 'zod/v4/core';
import { AppError, isAppError } from './app-error.js';

/**
 * Route options for a multipart endpoint. The handler reads the parts while they stream in
 * (@fastify/multipart), so the body is never validated up front: its Zod schema only documents
 * the form in the OpenAPI document. Params, query and headers are validated as usual.
 */
export const multipartRouteOptions = {
  validatorCompiler: (route: FastifyRouteSchemaDef<unknown>) =>
    route.httpPart === 'body'
      ? () => ({ value: undefined })
      : validatorCompiler(route as FastifyRouteSchemaDef<$ZodType>),
};

type PartsOptions = Parameters<FastifyRequest['parts']>[0];

/** Busboy's words for a body that is not well-formed multipart (cut off, no boundary, bad headers). */
const MALFORMED_BODY =
  /^(Unexpected end of multipart data|(Part|Preamble) terminated early|Multipart: Boundary not found|aborted)/;

/** The client's mistake behind a failed multipart read, as an AppError; anything else unchanged. */
function multipartFailure(error: unknown): unknown {
  if (isAppError(error) || !(error instanceof Error)) return error;
  const { code } = error as { code?: string };
  if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
    return new AppError('VALIDATION_FAILED', `Too many parts in the form (${error.message})`);
  }
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') return notMultipart();
  if (MALFORMED_BODY.test(error.message)) {
    return new AppError('MALFORMED_REQUEST', `The multipart body is malformed: ${error.message}`);
  }
  return error;
}

const notMultipart = () =>
  new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the form as multipart/form-data');

/**
 * Hands the request's parts to `read` as they stream in. A body that is not multipart answers 415
 * UNSUPPORTED_MEDIA_TYPE, a cut-off or malformed one 400 MALFORMED_REQUEST and too many parts
 * 400 VALIDATION_FAILED, whether the parser or `read` (streaming a file) meets the problem.
 */
export async function readMultipart<T>(
  request: FastifyRequest,
  read: (parts: AsyncIterableIterator<Multipart>) => Promise<T>,
  options?: PartsOptions,
): Promise<T> {
  if (!request.isMultipart()) throw notMultipart();
  try {
    return await read(request.parts(options));
  } catch (error) {
    throw multipartFailure(error);
  }
}
