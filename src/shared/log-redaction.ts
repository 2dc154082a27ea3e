import type { FastifyRequest } from 'fastify';

/**
 * A URL fit for the logs: the path and the names of its query parameters, never their values.
 * Tokens travel in query strings (`/api/ws?token=`, the reset and confirmation links of e-mails),
 * and whoever reads logs must not be able to sign in with them.
 */
export function redactUrl(url: string): string {
  const queryAt = url.indexOf('?');
  if (queryAt < 0) return url;
  const names = url
    .slice(queryAt + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => `${pair.split('=')[0]}=[redacted]`);
  return `${url.slice(0, queryAt)}?${names.join('&')}`;
}

/** The request as the logs show it (Fastify's default fields, the query values left out). */
export function requestLogSerializer(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket.remotePort,
  };
}
