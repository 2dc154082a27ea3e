import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import { resolveMediaBinaries } from '../../src/media/media.binaries.js';

const { ffmpegPath } = resolveMediaBinaries({});

/** Debian's python with GObject introspection (python3-gi), which the RTSP server needs. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/** A free loopback port (bound then released). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = once(child, 'exit').then(() => undefined);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 1000);
  return exited.finally(() => clearTimeout(timer));
}

/**
 * A grey scene with `face` (an image file) in it from `fromS` to `toS`, H.264 with a keyframe
 * every half second so a viewer joining a live stream gets a picture quickly.
 */
export function makeFaceStreamVideo(
  out: string,
  options: { seconds: number; face?: string; fromS?: number; toS?: number; size?: string },
): string {
  const { seconds, size = '640x480' } = options;
  const [width = 640, height = 480] = size.split('x').map(Number);
  const inputs = ['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25:duration=${seconds}`];
  let filter = '[0:v]hue=s=0.2[out]';
  if (options.face) {
    const faceHeight = Math.round(height * 0.55);
    inputs.push('-loop', '1', '-i', options.face);
    filter =
      `[0:v]hue=s=0.2[bg];[1:v]scale=-2:${faceHeight},format=yuv420p[face];` +
      `[bg][face]overlay=x=${Math.round(width * 0.3)}:y=${Math.round(height * 0.2)}:shortest=1:` +
      `enable='between(t,${options.fromS ?? 0},${options.toS ?? seconds})'[out]`;
  }
  execFileSync(
    ffmpegPath,
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      ...inputs,
      '-filter_complex',
      filter,
      '-map',
      '[out]',
      '-t',
      String(seconds),
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-tune',
      'zerolatency',
      '-g',
      '12',
      '-bf',
      '0',
      // Cameras repeat SPS/PPS before every keyframe, so a viewer can join at any time.
      '-x264opts',
      'repeat-headers=1',
      '-pix_fmt',
      'yuv420p',
      out,
    ],
    { stdio: 'ignore' },
  );
  return out;
}

export interface TsFeed {
  url: string;
  port: number;
  /** Wall-clock time (ms) at which the current run of the stream started. */
  startedAt: number;
  /** Kills the encoder and the server, closing every viewer's connection. */
  stop(): Promise<void>;
  /** Serves again on the same port, from the start of the video. */
  start(): Promise<void>;
  /** Stops the picture but keeps every connection open, like a camera that hangs. */
  freeze(): Promise<void>;
  /** Requests for the stream the camera received so far (served or refused). */
  connections: number;
}

export interface TsFeedOptions {
  /**
   * Viewers served at once; a request beyond them is answered 503, like the many cameras that
   * stream to one client at a time. Unlimited by default.
   */
  maxViewers?: number;
}

/**
 * A live MPEG-TS feed over HTTP on loopback: ffmpeg plays `file` in real time (`-re`, looped)
 * and a small server hands the same bytes to every viewer, like a camera that several clients
 * (probe, analysis, relay) watch at once.
 */
export async function startTsFeed(
  file: string,
  port?: number,
  host = '127.0.0.1',
  options: TsFeedOptions = {},
): Promise<TsFeed> {
  const chosen = port ?? (await freePort());
  let encoder: ChildProcess | undefined;
  let server: http.Server | undefined;
  const viewers = new Set<http.ServerResponse>();
  const sockets = new Set<net.Socket>();

  const feed: TsFeed = {
    url: `http://${host}:${chosen}/feed.ts`,
    port: chosen,
    startedAt: 0,
    connections: 0,
    async start() {
      server = http.createServer((_request, response) => {
        feed.connections += 1;
        if (viewers.size >= (options.maxViewers ?? Infinity)) {
          response.writeHead(503, { 'content-type': 'text/plain' }).end('busy');
          return;
        }
        response.writeHead(200, { 'content-type': 'video/mp2t' });
        viewers.add(response);
        response.on('close', () => viewers.delete(response));
      });
      server.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      server.listen(chosen, host);
      await once(server, 'listening');
      encoder = spawn(
        ffmpegPath,
        [
          '-hide_banner',
          '-loglevel',
          'error',
          '-re',
          '-stream_loop',
          '-1',
          '-i',
          file,
          '-c',
          'copy',
          '-f',
          'mpegts',
          'pipe:1',
        ],
        { stdio: ['ignore', 'pipe', 'ignore'] },
      );
      feed.startedAt = Date.now();
      // Serving starts with the first bytes, like a camera that is on.
      await new Promise<void>((resolve) => {
        encoder?.stdout?.on('data', (chunk: Buffer) => {
          for (const viewer of viewers) viewer.write(chunk);
          resolve();
        });
      });
    },
    async freeze() {
      await stopChild(encoder);
      encoder = undefined;
    },
    async stop() {
      await stopChild(encoder);
      encoder = undefined;
      for (const viewer of viewers) viewer.destroy();
      viewers.clear();
      for (const socket of sockets) socket.destroy();
      if (server) {
        const closed = once(server, 'close');
        server.close();
        await closed;
        server = undefined;
      }
    },
  };
  await feed.start();
  return feed;
}

export interface SimpleServer {
  url: string;
  stop(): Promise<void>;
}

async function listenOn(server: net.Server, path: string, scheme = 'http'): Promise<SimpleServer> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `${scheme}://127.0.0.1:${port}${path}`,
    async stop() {
      for (const socket of sockets) socket.destroy();
      const closed = once(server, 'close');
      server.close();
      await closed;
    },
  };
}

/** An HTTP server that answers every request with a page of text (not video). */
export function startTextServer(): Promise<SimpleServer> {
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('This is a web page, not a camera.\n'.repeat(200));
  });
  return listenOn(server, '/camera');
}

/** An HTTP server that asks for credentials. */
export function startAuthServer(): Promise<SimpleServer> {
  const server = http.createServer((_request, response) => {
    response.writeHead(401, { 'www-authenticate': 'Basic realm="camera"' });
    response.end('unauthorized');
  });
  return listenOn(server, '/feed.ts');
}

/** A server that accepts connections and never says anything. */
export function startHangingServer(scheme = 'http'): Promise<SimpleServer> {
  return listenOn(
    net.createServer(() => undefined),
    '/feed.ts',
    scheme,
  );
}

const RTSP_SERVER_SCRIPT = `
import sys, gi
gi.require_version('Gst', '1.0')
gi.require_version('GstRtspServer', '1.0')
from gi.repository import Gst, GstRtspServer, GLib
Gst.init(None)
path, port, user, password = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
server = GstRtspServer.RTSPServer()
server.set_address('127.0.0.1')
server.set_service(port)
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch('( filesrc location="%s" ! qtdemux ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=1 )' % path)
factory.set_shared(True)
if user:
    auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, user)
    auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
    server.set_auth(auth)
    permissions = GstRtspServer.RTSPPermissions()
    permissions.add_permission_for_role(user, GstRtspServer.RTSP_PERM_MEDIA_FACTORY_ACCESS, True)
    permissions.add_permission_for_role(user, GstRtspServer.RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, True)
    factory.set_permissions(permissions)
server.get_mount_points().add_factory('/cam', factory)
server.attach(None)
print('ready', flush=True)
GLib.MainLoop().run()
`;

/** Whether GStreamer's RTSP server can run here (`.ci/run` installs it from Debian). */
export function rtspServerAvailable(): boolean {
  if (!existsSync(SYSTEM_PYTHON)) return false;
  try {
    execFileSync(SYSTEM_PYTHON, ['-c', "import gi; gi.require_version('GstRtspServer', '1.0')"], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * GStreamer's RTSP server (python3-gi + gir1.2-gst-rtsp-server-1.0) publishing an H.264 MP4 at
 * `rtsp://127.0.0.1:PORT/cam`, optionally behind Basic authentication.
 */
export async function startRtspServer(
  file: string,
  options: { user?: string; password?: string } = {},
): Promise<SimpleServer> {
  const port = await freePort();
  const child = spawn(
    SYSTEM_PYTHON,
    ['-c', RTSP_SERVER_SCRIPT, file, String(port), options.user ?? '', options.password ?? ''],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the RTSP server did not start')), 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the RTSP server exited with ${code}`));
    });
  });
  return { url: `rtsp://127.0.0.1:${port}/cam`, stop: () => stopChild(child) };
}
