import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * A stored file that exists only encrypted reaches ffmpeg as http://127.0.0.1:<port>/<id>, served
 * decrypted by storage's loopback server. The id is on ffmpeg's command line, which every local
 * user can read, so it is not enough: each request must also carry a secret derived from the id
 * with a key that never leaves this process. ffmpeg gets it in its environment (http_proxy), kept
 * off the command line, and sends it as proxy credentials.
 */
const LOOPBACK_FILE = /^http:\/\/127\.0\.0\.1:(\d+)\/([\w-]+)$/;
const processKey = randomBytes(32);
const USER = 'mpf';

export const isLoopbackFile = (path: string): boolean => LOOPBACK_FILE.test(path);

const secretOf = (id: string): string =>
  createHmac('sha256', processKey).update(id).digest('base64url');

/** The Basic credentials that open file `id`, as an Authorization header value. */
export const loopbackFileCredentials = (id: string): string =>
  `Basic ${Buffer.from(`${USER}:${secretOf(id)}`).toString('base64')}`;

/** True when `header` holds the credentials of file `id`. */
export function opensLoopbackFile(id: string, header: string | undefined): boolean {
  const expected = Buffer.from(loopbackFileCredentials(id));
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Headers for reading a loopback file from this process (e.g. its size, with HEAD). */
export function loopbackFileHeaders(url: string): Record<string, string> {
  const id = LOOPBACK_FILE.exec(url)?.[2] ?? '';
  return { authorization: loopbackFileCredentials(id) };
}

/** Environment for a media process whose arguments name a loopback file; none otherwise. */
export function loopbackFileEnv(args: readonly string[]): Record<string, string> {
  for (const arg of args) {
    const match = LOOPBACK_FILE.exec(arg);
    if (match) {
      const [, port, id] = match;
      return { http_proxy: `http://${USER}:${secretOf(id!)}@127.0.0.1:${port}`, no_proxy: '' };
    }
  }
  return {};
}
