/** The prefix every route module is mounted under; each route holds its full path below it. */
export const API_PREFIX = '/api';

/** The versioned prefix clients should use; `/api/…` stays an alias of this version. */
export const API_V1_PREFIX = '/api/v1';

/**
 * Maps `/api/v1/…` onto the routes mounted under `/api/…` before routing, so every route —
 * HTTP, WebSocket upgrade and the OpenAPI document — answers on both prefixes from one
 * registration. A future `/api/v2` would be mounted beside it (see docs/api.md).
 */
export function rewriteVersionedUrl(url: string): string {
  if (url === API_V1_PREFIX) return '/api';
  const rest = url.slice(API_V1_PREFIX.length);
  if (url.startsWith(API_V1_PREFIX) && /^[/?]/.test(rest)) return `/api${rest}`;
  return url;
}
