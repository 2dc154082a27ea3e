import { execFile } from 'node:child_process';
import type { MediaBinaries } from './media.binaries.js';
import type { ProcessLimits } from './media.process.js';
import { grantEgress } from '../net/egress-proxy.js';
import type { OutboundPolicy } from '../net/outbound-policy.js';
import { forwardRtsp } from '../net/rtsp-forwarder.js';
import type { AppError } from '../shared/app-error.js';

export const isRtsp = (url: string): boolean => /^rtsps?:/i.test(url);

const socketTimeoutOption = new Map<string, Promise<string>>();

/**
 * The RTSP demuxer's socket-timeout option changed name: ffmpeg before 5.0 calls it `stimeout`
 * and reads `timeout` as "listen for incoming connections" (which would turn a probe into a
 * server), later versions call it `timeout`. The binary's own help tells which one it speaks.
 */
function rtspTimeoutOption(binary: string): Promise<string> {
  let option = socketTimeoutOption.get(binary);
  if (!option) {
    option = new Promise((resolve) => {
      execFile(binary, ['-hide_banner', '-h', 'demuxer=rtsp'], (_error, stdout) => {
        resolve(/^\s+-stimeout\s/m.test(String(stdout)) ? '-stimeout' : '-timeout');
      });
    });
    socketTimeoutOption.set(binary, option);
  }
  return option;
}

/** What live ffmpeg runs need: the binaries and the policy every camera connection obeys. */
export interface LiveFeedAccess {
  binaries: MediaBinaries;
  policy: OutboundPolicy;
}

/** One ffmpeg run's way to a live feed; `close()` it when ffmpeg has exited. */
export interface LiveInput {
  /** ffmpeg options in front of and including `-i url`. */
  args: string[];
  /** Environment ffmpeg needs on top of the server's (the egress proxy of HTTP feeds). */
  env: Record<string, string>;
  /** Set when a connection ffmpeg tried (a redirect, a segment host) was refused by the policy. */
  refusal: () => AppError | undefined;
  /** Why the server last failed to reach the camera on ffmpeg's behalf, if it did. */
  networkError: () => string | undefined;
  close: () => Promise<void>;
  /** The address-space limit of the ffmpeg run (a live run has no end, so no time limits). */
  limits: ProcessLimits;
}

/**
 * The protocols ffmpeg may open for a live feed, by scheme. Nothing else — no `file:`, `concat:` or
 * `subfile:` — so an HLS playlist or an RTSP answer cannot make it read the server's files; HLS
 * segments (and AES keys, through `crypto:`) stay on HTTP(S), which the egress proxy checks.
 */
const LIVE_PROTOCOLS = {
  rtsp: 'rtsp,rtp,udp,tcp',
  http: 'http,https,tcp,tls,httpproxy,crypto',
};

/**
 * Checks a live feed URL with the policy (URL_NOT_ALLOWED before any connection) and prepares
 * one ffmpeg run on it. Every run checks afresh, so a reconnection sees the current DNS answer.
 * HTTP(S) feeds go through the egress proxy, which checks every request ffmpeg makes; RTSP(S)
 * feeds through a forwarder to the checked address that refuses redirects. Both answer the
 * camera's authentication themselves, so its password stays off ffmpeg's command line. RTSP runs
 * over TCP (UDP rarely passes NAT or firewalls), and socket timeouts make ffmpeg fail on a silent
 * server instead of hanging.
 */
export async function openLiveInput(
  access: LiveFeedAccess,
  feedUrl: string,
  ioTimeoutMs: number,
): Promise<LiveInput> {
  const url = new URL(feedUrl);
  const target = await access.policy.check(url);
  const { threads, addressSpaceBytes } = access.binaries.limits;
  const limits: ProcessLimits = { addressSpaceBytes };
  const micros = String(Math.round(ioTimeoutMs * 1000));
  if (isRtsp(feedUrl)) {
    const forward = await forwardRtsp(url, target, ioTimeoutMs);
    const timeout = await rtspTimeoutOption(access.binaries.ffmpegPath);
    return {
      args: [
        ...['-threads', String(threads), '-protocol_whitelist', LIVE_PROTOCOLS.rtsp],
        ...['-rtsp_transport', 'tcp', timeout, micros, '-i', forward.inputUrl],
      ],
      env: {},
      limits,
      refusal: forward.refusal,
      networkError: forward.networkError,
      close: forward.close,
    };
  }
  const grant = await grantEgress(access.policy, url, target);
  return {
    args: [
      ...['-threads', String(threads), '-protocol_whitelist', LIVE_PROTOCOLS.http],
      ...['-rw_timeout', micros, '-i', grant.inputUrl],
    ],
    // ffmpeg reads http_proxy for every HTTP and TLS connection it opens; no_proxy must not
    // exempt any host from it.
    env: { http_proxy: grant.proxyUrl, no_proxy: '' },
    limits,
    refusal: grant.refusal,
    networkError: grant.networkError,
    close: () => Promise.resolve(grant.release()),
  };
}
