import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type FastifyPluginAsyncZod,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import type { DestinationStream } from 'pino';
import { adminRoutes } from './admin/admin.routes.js';
import { auditRoutes } from './audit/audit.routes.js';
import { apiTokenRoutes } from './auth/api-token.routes.js';
import { authGuard } from './auth/auth.plugin.js';
import { authRoutes } from './auth/auth.routes.js';
import { emailRoutes } from './auth/email.routes.js';
import { invitationRoutes } from './auth/invitation.routes.js';
import { passwordResetRoutes } from './auth/password-reset.routes.js';
import { sessionRoutes } from './auth/session.routes.js';
import type { Config } from './config.js';
import type { AppDeps } from './deps.js';
import { caseMemberRoutes } from './cases/case-member.routes.js';
import { caseRoutes } from './cases/case.routes.js';
import { personPhotoRoutes } from './cases/person-photo.routes.js';
import { dashboardRoutes } from './dashboard/dashboard.routes.js';
import { privacyRoutes } from './privacy/privacy.routes.js';
import { healthRoutes } from './health/health.routes.js';
import { liveRoutes } from './live/live.routes.js';
import { videoUploadRoutes } from './videos/video-upload.routes.js';
import { videoRoutes } from './videos/video.routes.js';
import { searchResultRoutes } from './searches/search-results.routes.js';
import { searchRoutes } from './searches/search.routes.js';
import { searchWsRoutes } from './searches/search.ws.js';
import { API_PREFIX, rewriteVersionedUrl } from './shared/api-version.js';
import { AppError } from './shared/app-error.js';
import { installErrorHandling } from './error-handler.js';
import { requestLogSerializer } from './shared/log-redaction.js';
import { version } from './shared/version.js';
import { serveWebApp } from './web/web-app.js';

/** TRUST_PROXY as Fastify takes it (its types have no hop count, so hops are a function). */
function trustedProxies(setting: Config['TRUST_PROXY']) {
  if (typeof setting !== 'number') return setting;
  return (_address: string, hop: number) => hop < setting;
}

/** The Fastify instance with logging, request ids, the body limit and the `/api/v1` alias. */
function createServer(config: Config, logStream: DestinationStream | undefined) {
  return Fastify({
    logger: {
      level: config.LOG_LEVEL,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      serializers: { req: requestLogSerializer },
      ...(logStream ? { stream: logStream } : {}),
    },
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming)
        ? incoming
        : randomUUID();
    },
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: trustedProxies(config.TRUST_PROXY),
    routerOptions: { ignoreTrailingSlash: true },
    rewriteUrl: (request) => rewriteVersionedUrl(request.url ?? '/'),
  }).withTypeProvider<ZodTypeProvider>();
}

type App = ReturnType<typeof createServer>;

/** Security headers, CORS, cookies and the global rate limit. */
async function registerHttpSafeguards(app: App, config: Config): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        // Helmet's default would send browsers reaching the app over plain HTTP on a LAN address
        // to https:// for every script and style: a blank page on a self-hosted install.
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(cors, {
    origin: config.CORS_ORIGINS.length > 0 ? config.CORS_ORIGINS : false,
    credentials: true,
  });
  await app.register(cookie);
  await app.register(rateLimit, {
    global: true,
    max: config.API_RATE_LIMIT_PER_MINUTE,
    timeWindow: '1 minute',
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', `Too many requests; try again in ${context.after}`, {
        retryAfterSeconds: Math.ceil(context.ttl / 1000),
      }),
  });
}

/** The OpenAPI document (public) and its interactive console (administrators only). */
async function registerApiDocs(app: App): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Missing Person Finder API',
        version,
        description:
          'Find missing people in recorded and live footage by face recognition. Browsers use the ' +
          'session cookie plus the `x-csrf-token` header on unsafe requests; scripts use ' +
          '`Authorization: Bearer <token>` from login. Every error answers ' +
          '`{ "error": { "code", "message", "details" } }` with a stable `code`. Every path is ' +
          'served under `/api/v1/…` too: `/api/v1` is the versioned prefix and `/api/…` an alias ' +
          'of version 1 (see docs/api.md for the policy on breaking changes).',
      },
      components: {
        securitySchemes: {
          cookieAuth: { type: 'apiKey', in: 'cookie', name: 'mpf_session' },
          bearerAuth: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ cookieAuth: [] }, { bearerAuth: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  // The interactive console is for administrators. The document itself stays public: it is the
  // same on every installation (it is built from the code), holds no data, and clients are
  // generated from it before anyone has a token.
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    uiHooks: {
      onRequest: (request, reply, done) => {
        app.requireAdmin(request, reply).then(() => done(), done);
      },
    },
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());
}

/**
 * Every route module, each holding its routes' full paths under the one `/api` prefix (which
 * `rewriteVersionedUrl` also serves as `/api/v1`).
 */
const routeModules: FastifyPluginAsyncZod<{ deps: AppDeps }>[] = [
  healthRoutes,
  authRoutes,
  passwordResetRoutes,
  apiTokenRoutes,
  sessionRoutes,
  emailRoutes,
  privacyRoutes,
  auditRoutes,
  invitationRoutes,
  adminRoutes,
  caseRoutes,
  caseMemberRoutes,
  personPhotoRoutes,
  searchRoutes,
  searchResultRoutes,
  searchWsRoutes,
  dashboardRoutes,
  liveRoutes,
  videoRoutes,
  videoUploadRoutes,
];

/** Builds the whole app without listening, so tests can `inject` or listen on a random port. */
export async function buildApp(
  deps: AppDeps,
  options: { logStream?: DestinationStream } = {},
): Promise<FastifyInstance> {
  const app = createServer(deps.config, options.logStream);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  await registerHttpSafeguards(app, deps.config);
  await app.register(authGuard, { deps });
  await registerApiDocs(app);
  for (const routes of routeModules) await app.register(routes, { prefix: API_PREFIX, deps });
  await serveWebApp(app);
  return app;
}
