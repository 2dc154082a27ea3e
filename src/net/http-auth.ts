import { createHash, randomBytes } from 'node:crypto';

export interface Credentials {
  username: string;
  password: string;
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

function challengeParams(challenge: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const match of challenge.matchAll(/(\w+)=(?:"([^"]*)"|([^\s,]+))/g)) {
    params.set(match[1]!.toLowerCase(), match[2] ?? match[3] ?? '');
  }
  return params;
}

/**
 * The `Authorization` value answering one of a server's `WWW-Authenticate` challenges: Digest
 * (MD5, qop=auth or none) when offered, else Basic; null when neither is offered. `count` is
 * how many times this challenge's nonce was used, this time included (Digest's `nc`).
 */
export function answerChallenge(
  challenges: string[],
  credentials: Credentials,
  method: string,
  uri: string,
  count = 1,
): string | null {
  const digest = challenges.find((value) => /^digest\s/i.test(value));
  if (digest) {
    const params = challengeParams(digest);
    const realm = params.get('realm') ?? '';
    const nonce = params.get('nonce') ?? '';
    const ha1 = md5(`${credentials.username}:${realm}:${credentials.password}`);
    const ha2 = md5(`${method}:${uri}`);
    const fields = [
      `username="${credentials.username}"`,
      `realm="${realm}"`,
      `nonce="${nonce}"`,
      `uri="${uri}"`,
    ];
    const qop = params.get('qop');
    if (qop?.split(',').some((value) => value.trim() === 'auth')) {
      const cnonce = randomBytes(8).toString('hex');
      const nc = count.toString(16).padStart(8, '0');
      const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
      fields.push(`response="${response}"`, 'qop=auth', `nc=${nc}`, `cnonce="${cnonce}"`);
    } else {
      fields.push(`response="${md5(`${ha1}:${nonce}:${ha2}`)}"`);
    }
    const opaque = params.get('opaque');
    if (opaque !== undefined) fields.push(`opaque="${opaque}"`);
    return `Digest ${fields.join(', ')}`;
  }
  if (challenges.some((value) => /^basic\b/i.test(value))) {
    const token = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
    return `Basic ${token}`;
  }
  return null;
}

/** The user and password of a URL (decoded), or undefined when it carries none. */
export function credentialsOf(url: URL): Credentials | undefined {
  if (!url.username && !url.password) return undefined;
  return {
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}
