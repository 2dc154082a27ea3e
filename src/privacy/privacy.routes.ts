import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { clearSessionCookie } from '../auth/auth.http.js';
import { authRateLimit } from '../auth/auth.rate-limit.js';
import { accountDeletionSchema } from '../contracts/auth.contract.js';
import type { Config } from '../config.js';
import { commonErrors, errorResponseSchema } from '../shared/http-schemas.js';
import { exportAccount, type ExportDeps } from './account-export.service.js';
import { deleteAccount, type ErasureDeps } from './account-erasure.service.js';
import { deleteAccountBodySchema, exportQuerySchema } from './privacy.schema.js';

/** Exporting reads everything of the user; deleting reaches every feature holding their data. */
export type PrivacyDeps = ExportDeps & ErasureDeps & { config: Config };

function sendZip(reply: FastifyReply, body: Readable, fileName: string) {
  return reply
    .header('content-type', 'application/zip')
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .header('cache-control', 'no-store')
    .send(body);
}

/** The user's own data: download all of it, or delete the account. */
export const privacyRoutes: FastifyPluginAsyncZod<{ deps: PrivacyDeps }> = (app, { deps }) => {
  const byUser = [(request: { user: { id: string } }) => request.user.id];

  app.get(
    '/auth/user/export',
    {
      preHandler: [app.requireUser, authRateLimit(app, deps, 'account-export', byUser)],
      schema: {
        tags: ['auth'],
        summary: 'Download everything kept about the signed-in user, as a ZIP (streamed)',
        description:
          'account.json (profile, e-mails, alert recipients, sessions, API token names and ' +
          'dates), cases/ (every case owned, photos, embeddings), footage.json, searches/ ' +
          '(appearances, detections, frames, faces, clips), audit.json. Footage files only with ' +
          '`include=files`. Audited; rate-limited like the account endpoints.',
        querystring: exportQuerySchema,
        response: commonErrors,
      },
    },
    async (request, reply) => {
      const body = await exportAccount(
        deps,
        { userId: request.user.id, ip: request.ip },
        { includeFootageFiles: request.query.include === 'files' },
      );
      return sendZip(reply, body, `my-data-${new Date().toISOString().slice(0, 10)}.zip`);
    },
  );

  app.delete(
    '/auth/user',
    {
      preHandler: [app.requireUser, authRateLimit(app, deps, 'account-delete', byUser)],
      schema: {
        tags: ['auth'],
        summary: 'Delete the signed-in account and the data it holds',
        description:
          'Needs the password (400 WRONG_PASSWORD) and a sign-in, not a personal API token ' +
          '(403). Cases shared with others pass to their oldest editor (else oldest member); the ' +
          'others are deleted with their photos and searches, as are the footage, searches, live ' +
          'feeds, sessions and tokens; the data keys are destroyed; audit rows stay under a ' +
          'pseudonym. 409 LAST_ADMIN for the only administrator.',
        body: deleteAccountBodySchema,
        response: { 200: accountDeletionSchema, ...commonErrors, 409: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const outcome = await deleteAccount(
        deps,
        request.authentication,
        request.body.password,
        request.ip,
      );
      clearSessionCookie(reply);
      return outcome;
    },
  );
  return Promise.resolve();
};
