import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import { AppError } from '../shared/app-error.js';
import { answerChallenge, credentialsOf, type Credentials } from './http-auth.js';
import { networkFailure } from './network-failure.js';
import type { CheckedTarget } from './outbound-policy.js';

/** A loopback forwarder to one checked RTSP server, for one ffmpeg run. */
export interface RtspForward {
  /** The URL ffmpeg opens: the forwarder's address and the camera's path, no credentials. */
  inputUrl: string;
  /** Set when the camera answered with a redirect, which is never followed. */
  refusal: () => AppError | undefined;
  networkError: () => string | undefined;
  close: () => Promise<void>;
}

const MAX_HEADER_BYTES = 64 * 1024;

/** One RTSP message: an interleaved `$` packet, or a request/response (head and body). */
type RtspMessage = { kind: 'packet'; bytes: Buffer } | { kind: 'text'; head: string; body: Buffer };

/**
 * Splits an RTSP byte stream into messages. Returns false (and stops) on a header longer than
 * any real one.
 */
function rtspFramer(onMessage: (message: RtspMessage) => void): (chunk: Buffer) => boolean {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    let data = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    for (;;) {
      if (data.length === 0) break;
      if (data[0] === 0x24) {
        if (data.length < 4) break;
        const size = 4 + data.readUInt16BE(2);
        if (data.length < size) break;
        onMessage({ kind: 'packet', bytes: data.subarray(0, size) });
        data = data.subarray(size);
        continue;
      }
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) {
        if (data.length > MAX_HEADER_BYTES) return false;
        break;
      }
      const head = data.subarray(0, end).toString('latin1');
      const bodyLength = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (data.length < end + 4 + bodyLength) break;
      onMessage({ kind: 'text', head, body: data.subarray(end + 4, end + 4 + bodyLength) });
      data = data.subarray(end + 4 + bodyLength);
    }
    pending = Buffer.from(data);
    return true;
  };
}

const headerValues = (head: string, name: string): string[] =>
  head
    .split('\r\n')
    .slice(1)
    .filter((line) => line.toLowerCase().startsWith(`${name}:`))
    .map((line) => line.slice(name.length + 1).trim());

const serialise = (head: string, body: Buffer) =>
  Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), body]);

/**
 * Authenticates ffmpeg's RTSP session for it, so the camera's password never reaches ffmpeg: a
 * request the camera answers with 401 is sent again with an answer to its challenge (the 401
 * is not passed on), and later requests carry one from the start.
 */
function rtspAuthenticator(credentials: Credentials | undefined) {
  let challenges: string[] | undefined;
  let uses = 0;
  const sent = new Map<string, { head: string; body: Buffer; retried: boolean }>();
  const withAuthorization = (head: string) => {
    const [requestLine = '', ...headers] = head.split('\r\n');
    const [method = '', uri = ''] = requestLine.split(' ');
    const answer =
      credentials && challenges && answerChallenge(challenges, credentials, method, uri, ++uses);
    if (!answer) return head;
    const kept = headers.filter((line) => !/^authorization:/i.test(line));
    return [requestLine, ...kept, `Authorization: ${answer}`].join('\r\n');
  };
  return {
    /** A request from ffmpeg, as it goes to the camera. */
    request(head: string, body: Buffer): Buffer {
      const [cseq] = headerValues(head, 'cseq');
      if (cseq) sent.set(cseq, { head, body, retried: false });
      return serialise(withAuthorization(head), body);
    },
    /** A response to pass on (null), or the request to send again instead of passing it on. */
    retryFor(head: string): Buffer | null {
      const cseq = headerValues(head, 'cseq')[0] ?? '';
      const request = sent.get(cseq);
      sent.delete(cseq);
      if (!credentials || !/^RTSP\/\d\.\d\s+401\b/.test(head)) return null;
      if (!request || request.retried) return null;
      request.retried = true;
      sent.set(cseq, request);
      challenges = headerValues(head, 'www-authenticate');
      uses = 0;
      return serialise(withAuthorization(request.head), request.body);
    },
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

/** Opens the camera's first connection, or says why it cannot be reached. */
async function connectFirst(
  url: URL,
  target: CheckedTarget,
  connectTimeoutMs: number,
  track: (socket: net.Socket) => net.Socket,
): Promise<net.Socket> {
  const socket = track(connectTo(url, target));
  const timer = setTimeout(
    () => socket.destroy(new Error('Connection timed out')),
    connectTimeoutMs,
  );
  try {
    await once(socket, url.protocol === 'rtsps:' ? 'secureConnect' : 'connect');
    return socket;
  } catch (error) {
    throw new AppError('UNREACHABLE', 'The feed cannot be reached', {
      reason: networkFailure(error as NodeJS.ErrnoException),
    });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Relays one ffmpeg session between `client` and `camera`, answering the camera's authentication
 * challenges, and hangs up on a redirect (after `onRedirect`) or a header too long to be real.
 */
function relaySession(
  client: net.Socket,
  camera: net.Socket,
  credentials: Credentials | undefined,
  onRedirect: () => void,
): void {
  const auth = rtspAuthenticator(credentials);
  const hangUp = () => {
    client.destroy();
    camera.destroy();
  };
  const fromCamera = rtspFramer((message) => {
    if (message.kind === 'packet') {
      client.write(message.bytes);
      return;
    }
    if (/^RTSP\/\d\.\d\s+3\d\d\b/.test(message.head)) {
      onRedirect();
      hangUp();
      return;
    }
    const retry = auth.retryFor(message.head);
    if (retry) camera.write(retry);
    else client.write(serialise(message.head, message.body));
  });
  const fromClient = rtspFramer((message) => {
    camera.write(
      message.kind === 'packet' ? message.bytes : auth.request(message.head, message.body),
    );
  });
  camera.on('data', (chunk: Buffer) => {
    if (!fromCamera(chunk)) hangUp();
  });
  client.on('data', (chunk: Buffer) => {
    if (!fromClient(chunk)) hangUp();
  });
  camera.on('close', () => client.destroy());
  client.on('close', () => camera.destroy());
}

/** The camera's URL with the forwarder's address instead of its own, and no credentials. */
function forwarderUrl(url: URL, port: number): string {
  const input = new URL(url);
  input.username = '';
  input.password = '';
  input.protocol = 'rtsp:';
  input.hostname = '127.0.0.1';
  input.port = String(port);
  return input.toString();
}

/**
 * Starts a forwarder on 127.0.0.1 to the checked address of an RTSP(S) camera, so ffmpeg can
 * never reach another one: a redirect is refused (URL_NOT_ALLOWED) instead of followed, TLS for
 * RTSPS is spoken here, and so is the camera's authentication (the password stays here). The
 * first connection to the camera is opened before ffmpeg starts, so an address where nothing
 * listens is reported as such.
 */
export async function forwardRtsp(
  url: URL,
  target: CheckedTarget,
  connectTimeoutMs: number,
): Promise<RtspForward> {
  const credentials = credentialsOf(url);
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

  let first: net.Socket | undefined = await connectFirst(url, target, connectTimeoutMs, (socket) =>
    track(socket, true),
  );
  const server = net.createServer((client) => {
    track(client, false);
    const camera = first ?? track(connectTo(url, target), true);
    first = undefined;
    relaySession(client, camera, credentials, () => {
      refused ??= new AppError(
        'URL_NOT_ALLOWED',
        'The camera answered with a redirect; this server does not follow RTSP redirects',
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;

  return {
    inputUrl: forwarderUrl(url, port),
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
