import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import { AppError } from '../shared/app-error.js';
import { networkFailure } from './network-failure.js';
import type { CheckedTarget } from './outbound-policy.js';

/** A loopback forwarder to one checked RTSP server, for one ffmpeg run. */
export interface RtspForward {
  /** The URL ffmpeg opens: the forwarder's address, the camera's path and credentials. */
  inputUrl: string;
  /** Set when the camera answered with a redirect, which is never followed. */
  refusal: () => AppError | undefined;
  networkError: () => string | undefined;
  close: () => Promise<void>;
}

const MAX_HEADER_BYTES = 64 * 1024;

/**
 * Watches what an RTSP server sends: interleaved `$` packets pass untouched, and each text
 * message is read up to its body; a `RTSP/1.0 3xx` answer (a redirect ffmpeg would follow to
 * any host) or an endless header makes `push` return false.
 */
function rtspResponseWatch(): (chunk: Buffer) => boolean {
  let pending = Buffer.alloc(0);
  let skip = 0;
  return (chunk) => {
    let data = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    for (;;) {
      if (skip > 0) {
        const taken = Math.min(skip, data.length);
        skip -= taken;
        data = data.subarray(taken);
      }
      if (data.length === 0) break;
      if (data[0] === 0x24) {
        if (data.length < 4) break;
        skip = 4 + data.readUInt16BE(2);
        continue;
      }
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) {
        if (data.length > MAX_HEADER_BYTES) return false;
        break;
      }
      const head = data.subarray(0, end).toString('latin1');
      if (/^RTSP\/\d\.\d\s+3\d\d\b/.test(head)) return false;
      skip = end + 4 + Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    }
    pending = Buffer.from(data);
    return true;
  };
}

function connectTo(url: URL, target: CheckedTarget): net.Socket {
  const options = { host: target.address, port: target.port, family: target.family };
  if (url.protocol !== 'rtsps:') return net.connect(options);
  // ffmpeg does not verify RTSPS certificates by default either (cameras' are self-signed).
  return tls.connect({
    ...options,
    rejectUnauthorized: false,
    ...(net.isIP(target.host) ? {} : { servername: target.host }),
  });
}

/**
 * Starts a forwarder on 127.0.0.1 to the checked address of an RTSP(S) camera, so ffmpeg can
 * never reach another one: a redirect is refused (URL_NOT_ALLOWED) instead of followed, and TLS
 * for RTSPS is spoken here. The first connection to the camera is opened before ffmpeg starts, so
 * an address where nothing listens is reported as such.
 */
export async function forwardRtsp(
  url: URL,
  target: CheckedTarget,
  connectTimeoutMs: number,
): Promise<RtspForward> {
  let refused: AppError | undefined;
  let failure: string | undefined;
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket, toCamera: boolean) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', (error) => {
      if (toCamera) failure ??= networkFailure(error);
      socket.destroy();
    });
    return socket;
  };

  let first: net.Socket | undefined = track(connectTo(url, target), true);
  const timer = setTimeout(
    () => first?.destroy(new Error('Connection timed out')),
    connectTimeoutMs,
  );
  try {
    await once(first, url.protocol === 'rtsps:' ? 'secureConnect' : 'connect');
  } catch (error) {
    throw new AppError('UNREACHABLE', 'The feed cannot be reached', {
      reason: networkFailure(error as NodeJS.ErrnoException),
    });
  } finally {
    clearTimeout(timer);
  }

  const server = net.createServer((client) => {
    track(client, false);
    const camera = first ?? track(connectTo(url, target), true);
    first = undefined;
    const watch = rtspResponseWatch();
    camera.on('data', (chunk: Buffer) => {
      if (watch(chunk)) {
        client.write(chunk);
        return;
      }
      refused ??= new AppError(
        'URL_NOT_ALLOWED',
        'The camera answered with a redirect; this server does not follow RTSP redirects',
      );
      client.destroy();
      camera.destroy();
    });
    client.pipe(camera);
    camera.on('close', () => client.destroy());
    client.on('close', () => camera.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;

  const input = new URL(url);
  input.protocol = 'rtsp:';
  input.hostname = '127.0.0.1';
  input.port = String(port);
  return {
    inputUrl: input.toString(),
    refusal: () => refused,
    networkError: () => failure,
    async close() {
      first?.destroy();
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close').catch(() => undefined);
    },
  };
}
