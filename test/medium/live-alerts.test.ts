import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverWebhook, newWebhookSecret } from '../../src/live/alert.webhook.js';
import { createOutboundPolicy, type Resolver } from '../../src/net/outbound-policy.js';
import { freePort } from '../support/stream-servers.js';

/** The receivers of these tests listen on loopback, which webhooks reach only when allowed. */
const loopbackAllowed = createOutboundPolicy({
  purpose: 'webhook',
  allowedNetworks: ['127.0.0.0/8'],
  allowPrivate: false,
});

/** A receiver that answers each call with the next status of `script` (then 204). */
let server: http.Server;
let url: string;
let script: number[] = [];
const calls: { body: string; signature: string | undefined }[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const signature = request.headers['x-mpf-signature'];
      calls.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: typeof signature === 'string' ? signature : undefined,
      });
      response.writeHead(script.shift() ?? 204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/hook`;
});

afterAll(async () => {
  server.close();
  await once(server, 'close');
});

describe('live-match webhooks', () => {
  it('signs the exact body with the search secret (X-MPF-Signature: sha256=…)', async () => {
    calls.length = 0;
    const secret = newWebhookSecret();
    const result = await deliverWebhook(loopbackAllowed, url, secret, {
      event: 'live.match',
      score: 0.91,
    });
    expect(result).toEqual({ ok: true, attempts: 1, status: 204 });
    const [call] = calls;
    expect(JSON.parse(call!.body)).toEqual({ event: 'live.match', score: 0.91 });
    const expected = `sha256=${createHmac('sha256', secret).update(call!.body).digest('hex')}`;
    expect(call!.signature).toBe(expected);
    expect(call!.signature).not.toBe(
      `sha256=${createHmac('sha256', newWebhookSecret()).update(call!.body).digest('hex')}`,
    );
  });

  it('retries a failing receiver with growing waits until it accepts', async () => {
    calls.length = 0;
    script = [503, 500];
    const started = Date.now();
    const result = await deliverWebhook(loopbackAllowed, url, 'k', { n: 1 }, { firstRetryMs: 100 });
    expect(result).toEqual({ ok: true, attempts: 3, status: 204 });
    // Waits of 100 ms then 200 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(calls).toHaveLength(3);
  });

  it('does not retry a receiver that refuses the call (4xx)', async () => {
    calls.length = 0;
    script = [410];
    const result = await deliverWebhook(loopbackAllowed, url, 'k', { n: 2 }, { firstRetryMs: 10 });
    expect(result).toEqual({ ok: false, attempts: 1, status: 410 });
    expect(calls).toHaveLength(1);
  });

  it('gives up after the last attempt when nothing listens', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}/hook`;
    const result = await deliverWebhook(
      loopbackAllowed,
      nowhere,
      'k',
      {},
      { firstRetryMs: 10, attempts: 3 },
    );
    expect(result).toEqual({ ok: false, attempts: 3, status: null });
  });

  it('refuses a receiver on loopback, link-local or a private network before sending anything', async () => {
    calls.length = 0;
    const defaults = createOutboundPolicy({
      purpose: 'webhook',
      allowedNetworks: [],
      allowPrivate: false,
      // Names are answered here: nothing is ever sent to a non-loopback address.
      resolve: (host) =>
        Promise.resolve(
          host === 'hooks.example.org' ? [{ address: '10.0.0.5', family: 4 as const }] : [],
        ),
    });
    for (const target of [url, 'http://169.254.169.254/latest', 'http://hooks.example.org/x']) {
      const result = await deliverWebhook(defaults, target, 'k', {}, { firstRetryMs: 10 });
      expect(result).toMatchObject({ ok: false, attempts: 1, status: null });
      expect(result.refused).toMatch(/does not connect a webhook to/);
    }
    expect(calls).toHaveLength(0);
  });

  it('sends to the address that was checked, with the Host of the URL (no second DNS answer)', async () => {
    calls.length = 0;
    const port = (server.address() as net.AddressInfo).port;
    const answers = ['127.0.0.1', '169.254.169.254'];
    const lookups: string[] = [];
    const resolve: Resolver = (host) => {
      lookups.push(host);
      return Promise.resolve([{ address: answers.shift() ?? '169.254.169.254', family: 4 }]);
    };
    const policy = createOutboundPolicy({
      purpose: 'webhook',
      allowedNetworks: ['127.0.0.1/32'],
      allowPrivate: false,
      resolve,
    });
    let host: string | undefined;
    server.once('request', (request: http.IncomingMessage) => (host = request.headers.host));
    const first = await deliverWebhook(policy, `http://hooks.example.org:${port}/hook`, 'k', {});
    expect(first).toEqual({ ok: true, attempts: 1, status: 204 });
    expect(host).toBe(`hooks.example.org:${port}`);
    // The next delivery resolves again and the new answer is refused.
    const second = await deliverWebhook(policy, `http://hooks.example.org:${port}/hook`, 'k', {});
    expect(second.refused).toMatch(/link-local/);
    expect(lookups).toEqual(['hooks.example.org', 'hooks.example.org']);
    expect(calls).toHaveLength(1);
  });

  it('does not follow a redirect: a 3xx answer is a failed delivery', async () => {
    calls.length = 0;
    script = [302];
    const result = await deliverWebhook(loopbackAllowed, url, 'k', {}, { firstRetryMs: 10 });
    expect(result).toEqual({ ok: false, attempts: 1, status: 302 });
    expect(calls).toHaveLength(1);
  });
});
