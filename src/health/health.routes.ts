import { sql } from 'kysely';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db, DialectName } from '../db/database.js';
import type { JobQueue } from '../jobs/job.types.js';
import type { MediaAdapter } from '../media/media.types.js';
import { commonErrors } from '../shared/http-schemas.js';
import { version } from '../shared/version.js';
import { backupStatus } from '../backup/backup-schedule.service.js';
import { collectMetrics } from './metrics.service.js';

const binarySchema = z.object({
  path: z.string().meta({ example: '/usr/bin/ffmpeg' }),
  version: z.string().meta({ example: '5.1.9-0+deb12u1' }),
  source: z.enum(['configured', 'system', 'bundled']),
  outdated: z
    .boolean()
    .meta({ description: 'True for the npm-bundled build of 2018 or a release before 5.1' }),
});

const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']).meta({ example: 'ok' }),
  version: z.string().meta({ example: '0.1.0' }),
  database: z.object({
    dialect: z.enum(['sqlite', 'postgres']),
    reachable: z.boolean(),
  }),
  uptimeSeconds: z.number(),
  ffmpeg: binarySchema.meta({ description: 'The ffmpeg that decodes uploads and feeds' }),
  ffprobe: binarySchema.meta({ description: 'The ffprobe that checks uploads' }),
  backup: z
    .object({
      state: z.enum(['off', 'ok', 'failing', 'overdue', 'pending']),
      lastSuccessAt: z.string().nullable(),
      nextDueAt: z.string().nullable(),
      lastError: z.string().nullable().optional().meta({ description: 'Administrators only' }),
    })
    .meta({ description: 'Scheduled backups (BACKUP_INTERVAL_HOURS)' }),
});

interface HealthDeps {
  db: Db;
  config: Parameters<typeof backupStatus>[0]['config'];
  dialect: DialectName;
  queue: JobQueue;
  media: Pick<MediaAdapter, 'binaries'>;
}

export const healthRoutes: FastifyPluginAsyncZod<{ deps: HealthDeps }> = (app, { deps }) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Service health: status, database reachability, version and the ffmpeg in use',
        security: [],
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (request, reply) => {
      const caller = await app.authenticateSocket(request.headers).catch(() => null);
      const reachable = await sql`select 1`
        .execute(deps.db)
        .then(() => true)
        .catch(() => false);
      return reply.code(reachable ? 200 : 503).send({
        status: reachable ? 'ok' : 'degraded',
        version,
        database: { dialect: deps.dialect, reachable },
        uptimeSeconds: Math.round(process.uptime()),
        ...deps.media.binaries,
        backup: reachable
          ? await backupStatus(deps, caller?.user.role === 'admin')
          : { state: 'failing' as const, lastSuccessAt: null, nextDueAt: null },
      });
    },
  );
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['system'],
        summary: 'Process, queue and search counts in the Prometheus text format',
        description: 'For administrators, or `Authorization: Bearer $METRICS_TOKEN`.',
        response: {
          200: z.string().meta({ example: 'mpf_jobs{status="queued"} 2' }),
          ...commonErrors,
        },
      },
      preHandler: app.requireAdminOrMetricsToken,
    },
    async (_request, reply) =>
      reply.type('text/plain; version=0.0.4').send(await collectMetrics(deps)),
  );
  return Promise.resolve();
};
