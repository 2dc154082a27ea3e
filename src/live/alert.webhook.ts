import { createHmac, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OutboundPolicy } from '../net/outbound-policy.js';
import { pinnedRequest } from '../net/pinned-request.js';
import { isAppError } from '../shared/app-error.js';

export const SIGNATURE_HEADER = 'x-mpf-signature';

/** A fresh per-search signing secret (hex, 256 bits). */
export const newWebhookSecret = (): string => randomBytes(32).toString('hex');

/** `sha256=<hex HMAC-SHA256 of the raw body>`, as sent in `X-MPF-Signature`. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface WebhookDelivery {
  ok: boolean;
  attempts: number;
  /** HTTP status of the last attempt, null when it never got an answer. */
  status: number | null;
  /** Set when the policy refused the URL's address: nothing was sent. */
  refused?: string;
}

export interface WebhookOptions {
  /** Attempts in all (first try included); default 4. */
  attempts?: number;
  /** Wait before the first retry, doubled each time; default 1 s. */
  firstRetryMs?: number;
  /** Per-attempt time limit; default 5 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * One POST to the address the policy checked (resolved again at every attempt, so a changed DNS
 * answer is checked too); resolves with the answer's status. Redirects are not followed.
 */
async function postOnce(
  policy: OutboundPolicy,
  url: URL,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<number> {
  const target = await policy.check(url);
  const request = pinnedRequest(url, target, {
    method: 'POST',
    headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    verifyCertificate: true,
    signal,
  });
  request.end(body);
  const [response] = (await once(request, 'response')) as [IncomingMessage];
  response.resume();
  return response.statusCode ?? 0;
}

/**
 * POSTs `payload` as JSON signed with `secret` to `url`, if `policy` allows its address.
 * Network failures, timeouts, 429 and 5xx answers are retried with exponential backoff (1 s,
 * 2 s, 4 s); any other answer is final, a redirect (3xx) included, and so is a refused address.
 */
export async function deliverWebhook(
  policy: OutboundPolicy,
  url: string,
  secret: string,
  payload: unknown,
  options: WebhookOptions = {},
): Promise<WebhookDelivery> {
  const attempts = options.attempts ?? 4;
  const firstRetryMs = options.firstRetryMs ?? 1000;
  const body = JSON.stringify(payload);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'missing-person-finder-webhook',
    [SIGNATURE_HEADER]: signBody(secret, body),
  };
  let status: number | null = null;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const timeout = AbortSignal.timeout(options.timeoutMs ?? 5000);
      status = await postOnce(
        policy,
        new URL(url),
        headers,
        body,
        options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
      );
      if (status >= 200 && status < 300) return { ok: true, attempts: attempt, status };
      if (status !== 429 && status < 500) return { ok: false, attempts: attempt, status };
    } catch (error) {
      if (isAppError(error) && error.code === 'URL_NOT_ALLOWED') {
        return { ok: false, attempts: attempt, status: null, refused: error.message };
      }
      if (options.signal?.aborted) return { ok: false, attempts: attempt, status };
      status = null;
    }
    if (attempt < attempts) {
      const waited = await sleep(firstRetryMs * 2 ** (attempt - 1), true, {
        signal: options.signal,
      }).catch(() => false);
      if (!waited) return { ok: false, attempts: attempt, status };
    }
  }
  return { ok: false, attempts, status };
}
