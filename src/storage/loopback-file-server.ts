import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { opensLoopbackFile } from '../shared/loopback-file.js';
import type { ByteRange, LocalFile, Storage } from './storage.types.js';

type Reader = Pick<Storage, 'get' | 'stat'>;

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` of a file of `size` bytes; undefined when unusable. */
function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header) : null;
  if (!match || (!match[1] && !match[2])) return undefined;
  if (!match[1]) return { start: Math.max(0, size - Number(match[2])), end: size - 1 };
  const end = match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
  return { start: Number(match[1]), end };
}

async function serve(reader: Reader, key: string, req: IncomingMessage, res: ServerResponse) {
  const stored = await reader.stat(key);
  if (!stored) return void res.writeHead(404).end();
  const range = parseRange(req.headers.range, stored.sizeBytes);
  if (range && range.start > range.end) {
    return void res.writeHead(416, { 'Content-Range': `bytes */${stored.sizeBytes}` }).end();
  }
  const length = range ? range.end - range.start + 1 : stored.sizeBytes;
  res.writeHead(range ? 206 : 200, {
    'Accept-Ranges': 'bytes',
    'Content-Length': length,
    ...(range && { 'Content-Range': `bytes ${range.start}-${range.end}/${stored.sizeBytes}` }),
  });
  if (req.method === 'HEAD' || length === 0) return void res.end();
  await pipeline(await reader.get(key, range), res);
}

/**
 * The file id a request asks for and its credentials: ffmpeg comes as to a proxy (absolute URL,
 * Proxy-Authorization), this process's own reads directly (path, Authorization).
 */
function grantedRequest(req: IncomingMessage) {
  const match = /^(http:\/\/127\.0\.0\.1:\d+)?\/([\w-]+)$/.exec(req.url ?? '');
  if (!match) return undefined;
  const viaProxy = match[1] !== undefined;
  const credentials = viaProxy ? req.headers['proxy-authorization'] : req.headers.authorization;
  return { id: match[2]!, credentials, viaProxy };
}

/**
 * Hands ffmpeg a stored file that exists only encrypted: a loopback-only HTTP server streams the
 * decrypted bytes, with byte ranges so ffmpeg can seek, under a path that `release` revokes and
 * only to a client holding the path's secret (see shared/loopback-file.ts). Nothing decrypted is
 * written to disk.
 */
export function createLoopbackFileServer(reader: Reader) {
  const grants = new Map<string, string>();
  let listening: Promise<Server> | undefined;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const request = grantedRequest(req);
    const key = request && grants.get(request.id);
    if (!request || !key || (req.method !== 'GET' && req.method !== 'HEAD')) {
      return void res.writeHead(404).end();
    }
    if (!opensLoopbackFile(request.id, request.credentials)) {
      // ffmpeg sends its proxy credentials only once challenged.
      const challenge = { 'proxy-authenticate': 'Basic realm="mpf"' };
      return void (request.viaProxy ? res.writeHead(407, challenge) : res.writeHead(401)).end();
    }
    serve(reader, key, req, res).catch(() => res.destroy());
  };
  const start = () =>
    (listening ??= new Promise<Server>((resolve, reject) => {
      const server = createServer(handle);
      server.on('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server.unref()));
    }));
  return {
    async open(key: string): Promise<LocalFile> {
      const { port } = (await start()).address() as AddressInfo;
      const token = randomBytes(24).toString('base64url');
      grants.set(token, key);
      return {
        path: `http://127.0.0.1:${port}/${token}`,
        release: () => Promise.resolve(void grants.delete(token)),
      };
    },
  };
}
