import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLiveFrames } from '../../src/media/live.frames.js';
import { openLiveInput } from '../../src/media/live.input.js';
import { probeLiveFeed } from '../../src/media/live.probe.js';
import { superviseLiveFeed, type FeedState } from '../../src/live/live-feed.supervisor.js';
import { resolveMediaBinaries } from '../../src/media/media.binaries.js';
import { createOutboundPolicy, type Resolver } from '../../src/net/outbound-policy.js';
import { insertSearch } from '../../src/searches/search.repository.js';
import { isAppError } from '../../src/shared/app-error.js';
import { newId, nowIso } from '../../src/shared/clock.js';
import { bearer, type LoggedInUser } from '../support/client.js';
import { createCase, signUp } from '../support/factories.js';
import { testDialects } from '../support/databases.js';
import { mediaChildren, scratchDir } from '../support/media-fixtures.js';
import {
  freePort,
  makeFaceStreamVideo,
  startTextServer,
  startTsFeed,
  type TsFeed,
} from '../support/stream-servers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Every connection in these tests stays on loopback. Names are answered by a stub resolver, and
 * non-loopback addresses only ever appear as answers that must be refused before connecting.
 */
const scratch = scratchDir('mpf-live-outbound-');
const binaries = resolveMediaBinaries({});
const stoppers: (() => Promise<void>)[] = [];
let video: string;

/** Listens on `host` until the end of the file's tests; answers the port. */
async function listen(server: net.Server, host: string, port = 0): Promise<number> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(port, host);
  await once(server, 'listening');
  stoppers.push(async () => {
    for (const socket of sockets) socket.destroy();
    server.close();
    await once(server, 'close');
  });
  return (server.address() as net.AddressInfo).port;
}

/** A server on `host` that counts the connections it gets: the target that must never be reached. */
async function startTrap(host = '127.0.0.1', port = 0) {
  let connections = 0;
  const server = http.createServer((_request, response) => response.end('reached'));
  server.on('connection', () => (connections += 1));
  return { port: await listen(server, host, port), connections: () => connections };
}

/** An HTTP server on `host` answering every request with `handler`. */
async function serveOn(host: string, handler: http.RequestListener): Promise<string> {
  return `http://${host}:${await listen(http.createServer(handler), host)}`;
}

const stubResolver =
  (answers: Record<string, string[]>): Resolver =>
  (host) =>
    Promise.resolve(
      (answers[host] ?? []).map((address) => ({
        address,
        family: address.includes(':') ? (6 as const) : (4 as const),
      })),
    );

beforeAll(() => {
  video = makeFaceStreamVideo(scratch.file('feed.mp4'), { seconds: 6, size: '640x360' });
});

afterAll(async () => {
  for (const stop of stoppers.reverse()) await stop();
  scratch.remove();
  expect(mediaChildren()).toEqual([]);
});

describe.each(testDialects)('live feed and webhook URLs over HTTP ($name)', (dialect) => {
  let t: TestApp;
  let owner: LoggedInUser;
  let trap: Awaited<ReturnType<typeof startTrap>>;

  beforeAll(async () => {
    t = await startTestApp(
      dialect,
      { LIVE_PROBE_TIMEOUT_SECONDS: '3' },
      {
        resolve: stubResolver({
          'camera.example.org': ['127.0.0.1'],
          'cloud.example.org': ['169.254.169.254'],
          'hooks.example.org': ['10.0.0.5'],
          'alerts.example.org': ['93.184.215.14'],
        }),
      },
    );
    stoppers.push(() => t.close());
    owner = await signUp(t.baseUrl);
    trap = await startTrap();
  }, 60_000);

  const send = (path: string, body: object, method = 'POST') =>
    fetch(`${t.baseUrl}${path}`, {
      method,
      headers: { ...bearer(owner.token), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  const refusedCameras = () => [
    `http://127.0.0.1:${trap.port}/feed.ts`,
    `rtsp://127.0.0.1:${trap.port}/cam`,
    'http://[::1]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://localhost./',
    `http://2130706433:${trap.port}/`,
    `http://0177.0.0.1:${trap.port}/`,
    `http://0x7f.1:${trap.port}/`,
    `http://[::ffff:127.0.0.1]:${trap.port}/`,
    `http://camera.example.org:${trap.port}/feed.ts`,
    'rtsps://cloud.example.org/cam',
  ];

  it('refuses to register a camera on loopback, link-local or a name resolving there', async () => {
    for (const url of refusedCameras()) {
      const response = await send('/api/videos/live', { title: 'Sneaky', url });
      expect(response.status, url).toBe(422);
      const body = (await response.json()) as { error: { code: string } };
      expect(body.error.code, url).toBe('URL_NOT_ALLOWED');
    }
    const list = await fetch(`${t.baseUrl}/api/videos?kind=live`, {
      headers: bearer(owner.token),
    });
    expect(((await list.json()) as { total: number }).total).toBe(0);
    expect(trap.connections()).toBe(0);
  });

  it('refuses to test such a camera without connecting (no port scanning)', async () => {
    for (const url of refusedCameras()) {
      const response = await send('/api/videos/live/test', { url });
      expect(response.status, url).toBe(422);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code, url).toBe('URL_NOT_ALLOWED');
    }
    expect(trap.connections()).toBe(0);
  });

  it('refuses a webhook on loopback, link-local or a private network', async () => {
    const caseId = await createCase(t.baseUrl, owner);
    const searchId = newId();
    const now = nowIso();
    await insertSearch(t.deps.db, {
      id: searchId,
      owner_id: owner.user.id,
      missing_person_id: caseId,
      status: 'running',
      preset: 'fast',
      sampled_fps: 2,
      threshold: 0.5,
      priority: 0,
      started_at: now,
      created_at: now,
      updated_at: now,
    });
    for (const webhookUrl of [
      `http://127.0.0.1:${trap.port}/hook`,
      'http://[::1]/hook',
      'http://169.254.169.254/hook',
      'http://localhost./hook',
      `http://2130706433:${trap.port}/hook`,
      'https://hooks.example.org/hook',
    ]) {
      const response = await send(`/api/searches/${searchId}/alerts`, { webhookUrl }, 'PUT');
      expect(response.status, webhookUrl).toBe(422);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        'URL_NOT_ALLOWED',
      );
    }
    // A public receiver is stored (nothing is sent until a match).
    const accepted = await send(
      `/api/searches/${searchId}/alerts`,
      { webhookUrl: 'https://alerts.example.org/mpf' },
      'PUT',
    );
    expect(accepted.status).toBe(200);
    expect(trap.connections()).toBe(0);
  });
});

describe('a camera that sends ffmpeg elsewhere', () => {
  /** Only 127.0.0.2 is allowed: the camera lives there, the refused target on 127.0.0.1. */
  const access = {
    binaries,
    policy: createOutboundPolicy({
      purpose: 'live feed',
      allowedNetworks: ['127.0.0.2/32'],
      allowPrivate: true,
    }),
  };

  async function probeCode(url: string): Promise<string> {
    try {
      await probeLiveFeed(access, url, { timeoutMs: 4000 });
      return 'ok';
    } catch (error) {
      if (isAppError(error)) return error.code;
      throw error;
    }
  }

  it('is refused after an HTTP redirect to a refused address, which is never reached', async () => {
    const trap = await startTrap();
    const camera = await serveOn('127.0.0.2', (request, response) => {
      const scheme = request.url?.includes('tls') ? 'https' : 'http';
      response.writeHead(302, { location: `${scheme}://127.0.0.1:${trap.port}/feed.ts` }).end();
    });
    expect(await probeCode(`${camera}/feed.ts`)).toBe('URL_NOT_ALLOWED');
    expect(await probeCode(`${camera}/tls/feed.ts`)).toBe('URL_NOT_ALLOWED');
    expect(trap.connections()).toBe(0);
  });

  it('is refused when an RTSP camera redirects, and the target is never reached', async () => {
    const trap = await startTrap();
    const camera = net.createServer((socket) => {
      socket.on('data', (chunk: Buffer) => {
        const cseq = /CSeq:\s*(\d+)/i.exec(chunk.toString())?.[1] ?? '1';
        socket.write(
          `RTSP/1.0 302 Moved\r\nCSeq: ${cseq}\r\n` +
            `Location: rtsp://127.0.0.1:${trap.port}/cam\r\n\r\n`,
        );
      });
    });
    const port = await listen(camera, '127.0.0.2');
    expect(await probeCode(`rtsp://127.0.0.2:${port}/cam`)).toBe('URL_NOT_ALLOWED');
    expect(trap.connections()).toBe(0);
  });

  it('is refused when an HLS playlist lists segments on a refused address', async () => {
    const trap = await startTrap();
    const camera = await serveOn('127.0.0.2', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/vnd.apple.mpegurl' });
      response.end(
        '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n' +
          `#EXTINF:2.0,\nhttp://127.0.0.1:${trap.port}/seg0.ts\n`,
      );
    });
    expect(await probeCode(`${camera}/index.m3u8`)).toBe('URL_NOT_ALLOWED');
    expect(trap.connections()).toBe(0);
  });

  it('gives ffmpeg only the network protocols of its scheme (never file, concat or subfile), few threads and bounded memory', async () => {
    const whitelist = async (url: string) => {
      const input = await openLiveInput(access, url, 1000);
      await input.close();
      // Bounded like every other ffmpeg child, except in time: a live run has no end.
      expect(input.limits).toEqual({ addressSpaceBytes: binaries.limits.addressSpaceBytes });
      expect(input.args[input.args.indexOf('-threads') + 1]).toBe(String(binaries.limits.threads));
      return input.args[input.args.indexOf('-protocol_whitelist') + 1];
    };
    expect(await whitelist('http://127.0.0.2:9/feed.ts')).toBe(
      'http,https,tcp,tls,httpproxy,crypto',
    );
    expect(await whitelist('https://127.0.0.2:9/index.m3u8')).toBe(
      'http,https,tcp,tls,httpproxy,crypto',
    );
    const rtsp = net.createServer((socket) => socket.end());
    rtsp.listen(0, '127.0.0.2');
    await once(rtsp, 'listening');
    stoppers.push(async () => {
      rtsp.close();
      await once(rtsp, 'close');
    });
    const { port } = rtsp.address() as net.AddressInfo;
    expect(await whitelist(`rtsp://127.0.0.2:${port}/cam`)).toBe('rtsp,rtp,udp,tcp');
  });

  it('is refused at the reconnection after its name starts resolving to a refused address', async () => {
    const port = await freePort();
    const camera: TsFeed = await startTsFeed(video, port, '127.0.0.2');
    stoppers.push(() => camera.stop());
    const trap = await startTrap('127.0.0.1', port);
    const answers = ['127.0.0.2'];
    const lookups: string[] = [];
    const rebinding = {
      binaries,
      policy: createOutboundPolicy({
        purpose: 'live feed',
        allowedNetworks: ['127.0.0.2/32'],
        allowPrivate: true,
        resolve: (host) => {
          lookups.push(host);
          return Promise.resolve([{ address: answers.shift() ?? '127.0.0.1', family: 4 }]);
        },
      }),
    };
    const states: FeedState[] = [];
    const stop = new AbortController();
    const feed = superviseLiveFeed(
      () =>
        openLiveFrames(rebinding, `http://camera.example.org:${port}/feed.ts`, {
          sampledFps: 2,
          maxSide: 320,
          epochMs: Date.now(),
          stallMs: 1500,
        }),
      {
        signal: stop.signal,
        firstBackoffMs: 100,
        onState: (state) => {
          states.push(state);
          if (state.state === 'offline' && state.attempt >= 2) stop.abort();
        },
      },
    );
    let frames = 0;
    await expect(async () => {
      for await (const frame of feed) {
        expect(frame.width).toBe(320);
        // The first connection works; the camera then drops it, which forces a reconnection.
        if (++frames === 2) await camera.stop();
      }
    }).rejects.toThrow();
    expect(frames).toBeGreaterThanOrEqual(2);
    const offline = states.filter((state) => state.state === 'offline');
    const last = offline.at(-1);
    expect(last?.state === 'offline' ? last.reason : '').toMatch(/URL_NOT_ALLOWED/);
    expect(lookups.length).toBeGreaterThanOrEqual(2);
    expect(trap.connections()).toBe(0);
  });
});

describe('camera credentials', () => {
  const access = {
    binaries,
    policy: createOutboundPolicy({
      purpose: 'live feed',
      allowedNetworks: ['127.0.0.0/8'],
      allowPrivate: true,
    }),
  };
  const md5 = (text: string) => createHash('md5').update(text).digest('hex');

  /** A camera asking for Digest authentication (user cam, password s3cret-pass) before its stream. */
  async function digestCamera(feed: TsFeed): Promise<string> {
    const realm = 'camera';
    const nonce = 'b1946ac92492d2347c6235b4d2611184';
    return serveOn('127.0.0.1', (request, response) => {
      const header = request.headers.authorization ?? '';
      const field = (name: string) => new RegExp(`${name}="?([^",]+)"?`).exec(header)?.[1] ?? '';
      const ha1 = md5(`cam:${realm}:s3cret-pass`);
      const ha2 = md5(`${request.method}:${field('uri')}`);
      const expected = md5(`${ha1}:${nonce}:${field('nc')}:${field('cnonce')}:auth:${ha2}`);
      if (!header.startsWith('Digest ') || field('response') !== expected) {
        response.writeHead(401, {
          'www-authenticate': `Digest realm="${realm}", nonce="${nonce}", qop="auth"`,
        });
        response.end();
        return;
      }
      http.get(feed.url, (upstream) => {
        response.writeHead(200, { 'content-type': 'video/mp2t' });
        upstream.pipe(response);
        response.on('close', () => upstream.destroy());
      });
    });
  }

  it('answers an HTTP camera’s Digest challenge without the password on ffmpeg’s command line', async () => {
    const feed = await startTsFeed(video);
    stoppers.push(() => feed.stop());
    const camera = await digestCamera(feed);
    const url = camera.replace('http://', 'http://cam:s3cret-pass@') + '/feed.ts';
    expect(await probeLiveFeed(access, url, { timeoutMs: 5000 })).toMatchObject({
      codec: 'h264',
      width: 640,
    });
    const connection = openLiveFrames(access, url, {
      sampledFps: 2,
      maxSide: 320,
      epochMs: Date.now(),
    });
    const commandLines: string[] = [];
    for await (const frame of connection) {
      expect(frame.width).toBe(320);
      for (const child of mediaChildren()) {
        const pid = child.split(' ')[1];
        commandLines.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
      }
      break;
    }
    expect(commandLines.length).toBeGreaterThan(0);
    expect(commandLines.join('\n')).toContain('feed.ts');
    expect(commandLines.join('\n')).not.toContain('s3cret-pass');
    // Without the password the proxy cannot answer, and the camera's refusal is reported.
    const wrong = camera.replace('http://', 'http://cam:wrong@') + '/feed.ts';
    await expect(probeLiveFeed(access, wrong, { timeoutMs: 4000 })).rejects.toMatchObject({
      code: 'AUTH_REQUIRED',
    });
  });

  it('gives the password to the camera only, not to a host it redirects to', async () => {
    const seen: (string | undefined)[] = [];
    const elsewhere = await serveOn('127.0.0.1', (request, response) => {
      seen.push(request.headers.authorization);
      response.writeHead(401, { 'www-authenticate': 'Basic realm="elsewhere"' }).end();
    });
    const camera = await serveOn('127.0.0.1', (_request, response) => {
      response.writeHead(302, { location: `${elsewhere}/feed.ts` }).end();
    });
    const url = camera.replace('http://', 'http://cam:s3cret-pass@') + '/feed.ts';
    await expect(probeLiveFeed(access, url, { timeoutMs: 4000 })).rejects.toMatchObject({
      code: 'AUTH_REQUIRED',
    });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((header) => header === undefined)).toBe(true);
  });

  it('reaches an HTTPS camera (self-signed) and answers its Basic challenge', async () => {
    const feed = await startTsFeed(video);
    stoppers.push(() => feed.stop());
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=camera', '-days', '1'].concat(
        ['-keyout', scratch.file('key.pem'), '-out', scratch.file('cert.pem')],
      ),
      { stdio: 'ignore' },
    );
    const expected = `Basic ${Buffer.from('cam:s3cret-pass').toString('base64')}`;
    const server = https.createServer(
      { key: readFileSync(scratch.file('key.pem')), cert: readFileSync(scratch.file('cert.pem')) },
      (request, response) => {
        if (request.headers.authorization !== expected) {
          response.writeHead(401, { 'www-authenticate': 'Basic realm="camera"' }).end();
          return;
        }
        http.get(feed.url, (upstream) => {
          response.writeHead(200, { 'content-type': 'video/mp2t' });
          upstream.pipe(response);
          response.on('close', () => upstream.destroy());
        });
      },
    );
    const port = await listen(server, '127.0.0.1');
    const url = `https://cam:s3cret-pass@127.0.0.1:${port}/feed.ts`;
    expect(await probeLiveFeed(access, url, { timeoutMs: 5000 })).toMatchObject({
      codec: 'h264',
      width: 640,
    });
  });

  it('answers an RTSP camera’s Digest challenge itself, without the password on ffmpeg’s side', async () => {
    const realm = 'cam';
    const nonce = '4f2ac1';
    const answers: { method: string; valid: boolean }[] = [];
    const camera = net.createServer((socket) => {
      socket.on('data', (chunk: Buffer) => {
        const text = chunk.toString('latin1');
        const [method = '', uri = ''] = text.split(' ');
        const cseq = /CSeq:\s*(\d+)/i.exec(text)?.[1] ?? '1';
        const header = /Authorization:\s*(.*)\r\n/i.exec(text)?.[1] ?? '';
        const field = (name: string) => new RegExp(`${name}="?([^",]+)"?`).exec(header)?.[1] ?? '';
        const ha1 = md5(`cam:${realm}:s3cret-pass`);
        const expected = md5(`${ha1}:${nonce}:${md5(`${method}:${uri}`)}`);
        if (header) answers.push({ method, valid: field('response') === expected });
        if (field('response') !== expected) {
          socket.write(
            `RTSP/1.0 401 Unauthorized\r\nCSeq: ${cseq}\r\n` +
              `WWW-Authenticate: Digest realm="${realm}", nonce="${nonce}"\r\n\r\n`,
          );
          return;
        }
        // A camera with nothing to describe: ffmpeg gives up after its authenticated requests.
        socket.write(`RTSP/1.0 404 Not Found\r\nCSeq: ${cseq}\r\n\r\n`);
      });
    });
    const port = await listen(camera, '127.0.0.1');
    const failure = await probeLiveFeed(access, `rtsp://cam:s3cret-pass@127.0.0.1:${port}/cam`, {
      timeoutMs: 3000,
    }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'UNREACHABLE' });
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((answer) => answer.valid)).toBe(true);
  });

  it('keeps an RTSP password out of the error it reports', async () => {
    const text = await startTextServer();
    stoppers.push(() => text.stop());
    const url = text.url.replace('http://', 'rtsp://cam:s3cret-pass@');
    const failure = await probeLiveFeed(access, url, { timeoutMs: 3000 }).catch(
      (error: unknown) => error,
    );
    expect(isAppError(failure)).toBe(true);
    expect(JSON.stringify(failure) + String(failure)).not.toContain('s3cret-pass');
  });
});
