import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { sendWebAppPage } from './web/web-app.js';
import { AppError, isAppError, type ErrorCode } from './shared/app-error.js';

function fromFastifyError(error: FastifyError): AppError | undefined {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((v) => ({
      path: `${error.validationContext ?? 'request'}${v.instancePath.replaceAll('/', '.')}`,
      message: v.message ?? 'is invalid',
    }));
    return new AppError(
      'VALIDATION_FAILED',
      issues.map((i) => `${i.path}: ${i.message}`).join('; '),
      { issues },
    );
  }
  const byStatus: Partial<Record<number, ErrorCode>> = {
    400: 'MALFORMED_REQUEST',
    413: 'PAYLOAD_TOO_LARGE',
    415: 'UNSUPPORTED_MEDIA_TYPE',
    429: 'RATE_LIMITED',
  };
  const code = error.statusCode === undefined ? undefined : byStatus[error.statusCode];
  return code ? new AppError(code, error.message) : undefined;
}

/** Maps every error to `{ error: { code, message, details } }`; 5xx never reveal internals. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = isAppError(error) ? error : fromFastifyError(error);
    if (!appError) {
      request.log.error({ err: error }, 'unhandled error');
      return reply.code(500).send({
        error: {
          code: 'INTERNAL',
          message: 'Internal server error',
          details: { requestId: request.id },
        },
      });
    }
    if (appError.status >= 500) request.log.error({ err: error }, appError.message);
    return reply.code(appError.status).send({
      error: { code: appError.code, message: appError.message, details: appError.details },
    });
  });

  app.setNotFoundHandler((request, reply) => {
    // Browsers asking for a client-side route get the web app, which draws its own 404.
    if (sendWebAppPage(request, reply)) return reply;
    return reply.code(404).send({
      error: { code: 'ROUTE_NOT_FOUND', message: `No route ${request.method} ${request.url}` },
    });
  });
}
