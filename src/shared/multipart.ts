import type { FastifyRouteSchemaDef } from 'fastify/types/schema.js';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { $ZodType } from 'zod/v4/core';

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
