import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import {
  createOutboundPolicy,
  type OutboundPolicyOptions,
  type ResolvedAddress,
} from '../../src/net/outbound-policy.js';
import { isAppError } from '../../src/shared/app-error.js';
import { redactCredentials } from '../../src/shared/redact.js';

/** A resolver that knows a few names; these tests only decide, they never connect. */
const names: Record<string, string[]> = {
  'camera.example.org': ['93.184.215.14'],
  'loopback.example.org': ['127.0.0.1'],
  'office.example.org': ['10.0.0.5'],
  'metadata.example.org': ['169.254.169.254'],
  'mixed.example.org': ['93.184.215.14', '127.0.0.1'],
};
const lookups: string[] = [];
const resolve = (host: string): Promise<ResolvedAddress[]> => {
  lookups.push(host);
  return Promise.resolve(
    (names[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
  );
};

const policy = (options: Partial<OutboundPolicyOptions> = {}) =>
  createOutboundPolicy({
    purpose: 'live feed',
    allowedNetworks: [],
    allowPrivate: true,
    resolve,
    ...options,
  });

async function decision(url: string, options?: Partial<OutboundPolicyOptions>): Promise<string> {
  try {
    const target = await policy(options).check(url);
    return target.address;
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
}

describe('outbound connection policy', () => {
  it.each([
    'http://127.0.0.1:8080/feed.ts',
    'rtsp://127.0.0.2/cam',
    'http://[::1]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[fe80::1]/',
    'http://localhost/',
    'http://localhost./',
    'http://cam.localhost/',
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://0x7f.1/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://0.0.0.0/',
    'http://[::]/',
    'http://224.0.0.1/',
    'http://255.255.255.255/',
    'http://loopback.example.org/',
    'http://metadata.example.org/',
    'http://mixed.example.org/',
  ])('refuses %s with URL_NOT_ALLOWED', async (url) => {
    expect(await decision(url)).toBe('URL_NOT_ALLOWED');
  });

  it('allows a public address and answers the address that was checked', async () => {
    lookups.length = 0;
    const target = await policy().check('rtsp://camera.example.org/stream1');
    expect(target).toEqual({
      host: 'camera.example.org',
      port: 554,
      address: '93.184.215.14',
      family: 4,
    });
    expect(lookups).toEqual(['camera.example.org']);
  });

  it('allows private networks for cameras unless told not to', async () => {
    expect(await decision('http://office.example.org/')).toBe('10.0.0.5');
    expect(await decision('http://192.168.1.20/')).toBe('192.168.1.20');
    expect(await decision('http://100.64.0.9/')).toBe('100.64.0.9');
    expect(await decision('http://[fd12::5]/')).toBe('fd12::5');
    for (const url of [
      'http://office.example.org/',
      'http://172.16.0.1/',
      'http://100.64.0.9/',
      'http://[fd12::5]/',
    ]) {
      expect(await decision(url, { allowPrivate: false })).toBe('URL_NOT_ALLOWED');
    }
  });

  it('allows what the allow-list names, and only that', async () => {
    const allowed = { allowedNetworks: ['127.0.0.2/32', '::1'] };
    expect(await decision('http://127.0.0.2:9000/', allowed)).toBe('127.0.0.2');
    expect(await decision('http://[::1]/', allowed)).toBe('::1');
    expect(await decision('http://127.0.0.1/', allowed)).toBe('URL_NOT_ALLOWED');
    expect(await decision('http://[::ffff:127.0.0.2]/', allowed)).toBe('127.0.0.2');
    expect(
      await decision('http://10.1.0.1/', { allowPrivate: false, allowedNetworks: ['10.1.0.0/16'] }),
    ).toBe('10.1.0.1');
  });

  it("refuses the server's own addresses even on a private network", async () => {
    const own = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry && !entry.internal && entry.family === 'IPv4');
    if (!own) return;
    expect(await decision(`http://${own.address}/`, { allowPrivate: true })).toBe(
      'URL_NOT_ALLOWED',
    );
  });

  it('answers UNREACHABLE for a name that does not resolve', async () => {
    expect(await decision('http://nowhere.example.org/')).toBe('UNREACHABLE');
  });

  it('reads its networks from configuration and refuses a malformed one', () => {
    const config = parseConfig({ LIVE_FEED_ALLOWED_NETWORKS: '127.0.0.0/8, ::1' });
    expect(config.LIVE_FEED_ALLOWED_NETWORKS).toEqual(['127.0.0.0/8', '::1']);
    expect(config.LIVE_FEED_ALLOW_PRIVATE).toBe(true);
    expect(config.WEBHOOK_ALLOW_PRIVATE).toBe(false);
    expect(() => parseConfig({ WEBHOOK_ALLOWED_NETWORKS: '10.0.0.0/33' })).toThrow(
      /WEBHOOK_ALLOWED_NETWORKS/,
    );
  });
});

describe('credential redaction', () => {
  it('hides the user:password of URLs and Authorization values', () => {
    const line =
      "[rtsp @ 0x1] method DESCRIBE failed: 401 rtsp://admin:s3cret@10.0.0.5:554/cam, 'Authorization: Basic YWRtaW46czNjcmV0'";
    const redacted = redactCredentials(line);
    expect(redacted).not.toContain('s3cret');
    expect(redacted).not.toContain('YWRtaW46czNjcmV0');
    expect(redacted).toContain('rtsp://***@10.0.0.5:554/cam');
  });
});
