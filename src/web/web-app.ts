import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where `vite build web` writes the single-page app. */
export const WEB_DIST_DIR = path.resolve(import.meta.dirname, '../../web/dist');
const INDEX_HTML = path.join(WEB_DIST_DIR, 'index.html');

let indexHtml: Buffer | undefined;

/**
 * Serves the built SPA's files from the root. Vite names assets by content hash, so they are cached
 * for a year; everything else (index.html, favicon) is revalidated on each visit.
 */
export async function serveWebApp(app: FastifyInstance): Promise<void> {
  if (!existsSync(INDEX_HTML)) {
    app.log.warn('web/dist/index.html is missing: run `npm run build:web` to serve the web app');
    return;
  }
  await app.register(fastifyStatic, {
    root: WEB_DIST_DIR,
    prefix: '/',
    wildcard: false,
    decorateReply: false,
    setHeaders: (reply, filePath) => {
      const immutable = filePath.startsWith(path.join(WEB_DIST_DIR, 'assets') + path.sep);
      void reply.header(
        'cache-control',
        immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
}

function wantsPage(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const pathname = request.url.split('?')[0] ?? '';
  if (pathname === '/api' || pathname.startsWith('/api/')) return false;
  return (request.headers.accept ?? '').includes('text/html');
}

/**
 * Answers a browser's request for a client-side route (`/searches/…`, `/reset-password?token=…`)
 * with index.html, so deep links and reloads work. Returns false when it is not such a request.
 */
export function sendWebAppPage(request: FastifyRequest, reply: FastifyReply): boolean {
  if (!wantsPage(request)) return false;
  if (!indexHtml) {
    if (!existsSync(INDEX_HTML)) return false;
    indexHtml = readFileSync(INDEX_HTML);
  }
  void reply
    .code(200)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-cache')
    .send(indexHtml);
  return true;
}
