import { randomBytes, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { isAppError, type AppError } from '../shared/app-error.js';
import { networkFailure } from './network-failure.js';
import { answerChallenge, credentialsOf, type Credentials } from './http-auth.js';
import type { CheckedTarget, OutboundPolicy } from './outbound-policy.js';
import { pinnedRequest } from './pinned-request.js';

/**
 * One client's right to use the egress proxy: ffmpeg gets `proxyUrl` in its `http_proxy`
 * environment variable (not on its command line, which every local user can read) and
 * `inputUrl` as its input.
 */
export interface EgressGrant {
  proxyUrl: string;
  /** The feed URL as ffmpeg should open it: no credentials, an HTTPS origin as plain HTTP. */
  inputUrl: string;
  /** The first request the policy refused (a redirect, a playlist's segment host), if any. */
  refusal: () => AppError | undefined;
  /** Why the proxy last failed to reach a server ("Connection refused"), if it did. */
  networkError: () => string | undefined;
  release: () => void;
}

interface Grant {
  policy: OutboundPolicy;
  /** The feed's own host, already checked: requests to it connect to this address. */
  origin: CheckedTarget;
  /** The origin speaks HTTPS; ffmpeg talks plain HTTP to the proxy, which adds the TLS. */
  originTls: boolean;
  originHost: string;
  credentials?: Credentials;
  refused?: AppError;
  networkError?: string;
}

const GRANT_USER = 'feed';
const grants = new Map<string, Grant>();
let listening: Promise<number> | undefined;

function grantOf(header: string | undefined): Grant | undefined {
  const match = /^basic\s+(\S+)/i.exec(header ?? '');
  if (!match) return undefined;
  const [user, secret = ''] = Buffer.from(match[1]!, 'base64').toString().split(':');
  if (user !== GRANT_USER) return undefined;
  for (const [known, grant] of grants) {
    if (known.length === secret.length && timingSafeEqual(Buffer.from(known), Buffer.from(secret)))
      return grant;
  }
  return undefined;
}

const PROXY_CHALLENGE = 'Basic realm="mpf-egress"';

const isOrigin = (grant: Grant, host: string, port: number) =>
  host === grant.origin.host && port === grant.origin.port;

/** Checks a target with the grant's policy, remembering the first refusal for the caller. */
async function checkTarget(grant: Grant, url: URL): Promise<CheckedTarget> {
  try {
    return await grant.policy.check(url);
  } catch (error) {
    if (isAppError(error) && error.code === 'URL_NOT_ALLOWED') grant.refused ??= error;
    throw error;
  }
}

/** A redirect from the HTTPS origin to itself stays on the plain-HTTP path ffmpeg knows. */
function rewriteLocation(grant: Grant, location: string, base: URL): string {
  if (!grant.originTls) return location;
  const target = new URL(location, base);
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (target.protocol !== 'https:' || !isOrigin(grant, host, port)) return location;
  target.protocol = 'http:';
  target.port = String(port);
  return target.toString();
}

/** Where one request of ffmpeg goes. */
interface Hop {
  /** The URL ffmpeg asked for. */
  target: URL;
  checked: CheckedTarget;
  /** Reached over TLS (the feed's own HTTPS host). */
  tls: boolean;
  /** The feed's credentials: only its own host ever gets them. */
  credentials?: Credentials;
}

function forwardRequest(
  grant: Grant,
  request: http.IncomingMessage,
  response: http.ServerResponse,
  hop: Hop,
  authorization?: string,
): void {
  const { target, checked, tls } = hop;
  const headers = { ...request.headers };
  delete headers['proxy-authorization'];
  delete headers['proxy-connection'];
  delete headers.authorization;
  if (authorization) headers.authorization = authorization;
  const path = `${target.pathname}${target.search}`;
  // The HTTPS origin is reached as https://host:port/…; ffmpeg asked for http://host:port/….
  const upstreamUrl = new URL(target);
  if (tls) {
    upstreamUrl.protocol = 'https:';
    upstreamUrl.host = grant.originHost;
  }
  const upstream = pinnedRequest(upstreamUrl, checked, {
    method: request.method ?? 'GET',
    headers,
    // ffmpeg does not verify certificates by default either; cameras mostly have self-signed ones.
    verifyCertificate: false,
  });
  upstream.on('response', (answer) => {
    const challenges = answer.rawHeaders.filter(
      (_value, index, all) => index % 2 === 1 && /^www-authenticate$/i.test(all[index - 1]!),
    );
    const retry =
      answer.statusCode === 401 && !authorization && hop.credentials && request.method === 'GET'
        ? answerChallenge(challenges, hop.credentials, 'GET', path)
        : null;
    if (retry) {
      answer.resume();
      forwardRequest(grant, request, response, hop, retry);
      return;
    }
    const out = { ...answer.headers };
    if (typeof out.location === 'string')
      out.location = rewriteLocation(grant, out.location, target);
    response.writeHead(answer.statusCode ?? 502, out);
    answer.pipe(response);
    // A camera that drops mid-answer must look dropped to ffmpeg too, not merely silent.
    answer.on('close', () => {
      if (!answer.complete) response.destroy();
    });
  });
  upstream.on('error', (error) => {
    grant.networkError = networkFailure(error);
    if (!response.headersSent) response.writeHead(502).end();
    else response.destroy();
  });
  response.on('close', () => upstream.destroy());
  if (!authorization) request.pipe(upstream);
  else upstream.end();
}

async function handleRequest(request: http.IncomingMessage, response: http.ServerResponse) {
  const grant = grantOf(request.headers['proxy-authorization']);
  if (!grant) {
    response.writeHead(407, { 'proxy-authenticate': PROXY_CHALLENGE }).end();
    return;
  }
  let target: URL;
  try {
    target = new URL(request.url ?? '');
  } catch {
    response.writeHead(400).end();
    return;
  }
  if (target.protocol !== 'http:') {
    response.writeHead(400).end();
    return;
  }
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = Number(target.port || 80);
  if (isOrigin(grant, host, port)) {
    const { origin: checked, originTls: tls, credentials } = grant;
    forwardRequest(grant, request, response, { target, checked, tls, credentials });
    return;
  }
  try {
    const checked = await checkTarget(grant, target);
    forwardRequest(grant, request, response, { target, checked, tls: false });
  } catch (error) {
    const refused = isAppError(error) && error.code === 'URL_NOT_ALLOWED';
    if (!refused) grant.networkError = 'Failed to resolve hostname';
    response.writeHead(refused ? 403 : 502).end();
  }
}

async function handleConnect(request: http.IncomingMessage, socket: net.Socket, head: Buffer) {
  const refuse = (status: string) => socket.end(`HTTP/1.1 ${status}\r\n\r\n`);
  socket.on('error', () => socket.destroy());
  const grant = grantOf(request.headers['proxy-authorization']);
  if (!grant) {
    socket.end(
      `HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: ${PROXY_CHALLENGE}\r\n` +
        'Content-Length: 0\r\n\r\n',
    );
    return;
  }
  let checked: CheckedTarget;
  try {
    checked = await checkTarget(grant, new URL(`https://${request.url ?? ''}/`));
  } catch {
    refuse('403 Forbidden');
    return;
  }
  const upstream = net.connect({ host: checked.address, port: checked.port });
  upstream.on('error', (error) => {
    grant.networkError = networkFailure(error);
    refuse('502 Bad Gateway');
    upstream.destroy();
  });
  upstream.on('connect', () => {
    socket.write('HTTP/1.1 200 Connection established\r\n\r\n');
    if (head.length > 0) upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  socket.on('close', () => upstream.destroy());
}

/** The proxy of this process, on a random loopback port, started at the first grant. */
function proxyPort(): Promise<number> {
  listening ??= (async () => {
    const server = http.createServer((request, response) => void handleRequest(request, response));
    server.on('connect', (request: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
      void handleConnect(request, socket, head);
    });
    server.on('clientError', (_error, socket) => socket.destroy());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    // The proxy serves ffmpeg children; it must not keep the process alive on its own.
    server.unref();
    return (server.address() as net.AddressInfo).port;
  })();
  return listening;
}

/**
 * Lets one ffmpeg run reach `url` through the egress proxy: every request it makes (the first,
 * each redirect, each playlist and segment, each reconnection) is checked with `policy` and sent
 * to the address that passed; `origin` is the feed host, checked beforehand. The URL's
 * credentials stay in the proxy, which answers the camera's Basic or Digest challenge itself.
 */
export async function grantEgress(
  policy: OutboundPolicy,
  url: URL,
  origin: CheckedTarget,
): Promise<EgressGrant> {
  const port = await proxyPort();
  const secret = randomBytes(24).toString('hex');
  const originTls = url.protocol === 'https:';
  const grant: Grant = {
    policy,
    origin,
    originTls,
    originHost: url.host,
    credentials: credentialsOf(url),
  };
  grants.set(secret, grant);
  const input = new URL(url);
  input.username = '';
  input.password = '';
  if (originTls) {
    input.protocol = 'http:';
    input.port = String(origin.port);
  }
  return {
    proxyUrl: `http://${GRANT_USER}:${secret}@127.0.0.1:${port}/`,
    inputUrl: input.toString(),
    refusal: () => grant.refused,
    networkError: () => grant.networkError,
    release: () => void grants.delete(secret),
  };
}
