import { createHmac, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

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
 * POSTs `payload` as JSON signed with `secret`. Network failures, timeouts, 429 and 5xx answers
 * are retried with exponential backoff (1 s, 2 s, 4 s); any other answer is final.
 */
export async function deliverWebhook(
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
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
      });
      status = response.status;
      await response.body?.cancel();
      if (response.ok) return { ok: true, attempts: attempt, status };
      if (status !== 429 && status < 500) return { ok: false, attempts: attempt, status };
    } catch {
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
