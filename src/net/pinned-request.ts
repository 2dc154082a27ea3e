import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { CheckedTarget } from './outbound-policy.js';

export interface PinnedRequestOptions {
  method: string;
  headers: http.OutgoingHttpHeaders;
  /** Whether the server's certificate must be valid for the URL's host (HTTPS). */
  verifyCertificate: boolean;
  signal?: AbortSignal;
}

/**
 * An HTTP(S) request for `url` sent to the address the policy checked, never to a fresh DNS
 * answer (which could have changed since: DNS rebinding). TLS still names and verifies the URL's
 * host, and the Host header is the URL's.
 */
export function pinnedRequest(
  url: URL,
  target: CheckedTarget,
  options: PinnedRequestOptions,
): http.ClientRequest {
  const tls = url.protocol === 'https:';
  return (tls ? https : http).request({
    host: target.address,
    family: target.family,
    port: target.port,
    method: options.method,
    path: `${url.pathname}${url.search}`,
    headers: { ...options.headers, host: url.host },
    agent: false,
    signal: options.signal,
    ...(tls && !net.isIP(target.host) ? { servername: target.host } : {}),
    ...(tls ? { rejectUnauthorized: options.verifyCertificate } : {}),
  });
}
