import { lookup } from 'node:dns/promises';
import { networkInterfaces } from 'node:os';
import ipaddr from 'ipaddr.js';
import type { Config } from '../config.js';
import { AppError, isAppError } from '../shared/app-error.js';

/** One address a host name resolves to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has; injectable so tests never need real DNS. */
export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

/** The operating system's resolver (`/etc/hosts`, then DNS), every address. */
export const systemResolver: Resolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));

/** Where a URL may be connected to: the host as written, its port and the address that passed. */
export interface CheckedTarget {
  /** The host name (or IP literal, without brackets) of the URL. */
  host: string;
  port: number;
  /** The address that was checked: connect to this one, never resolve the name again. */
  address: string;
  family: 4 | 6;
}

export interface OutboundPolicyOptions {
  /** Networks (CIDR, or a single address) reachable even when they are loopback, link-local, … */
  allowedNetworks: string[];
  /** Whether private ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) are reachable. */
  allowPrivate: boolean;
  /** What connects, for messages: "live feed", "webhook". */
  purpose: string;
  resolve?: Resolver;
}

/** Decides whether the server may connect to a URL, and to which address. */
export interface OutboundPolicy {
  /**
   * Resolves the URL's host and checks every address. Throws `URL_NOT_ALLOWED` when one of them
   * is refused, `UNREACHABLE` when the name does not resolve.
   */
  check(url: URL | string): Promise<CheckedTarget>;
}

type Address = ipaddr.IPv4 | ipaddr.IPv6;

const PRIVATE_RANGES = new Set(['private', 'carrierGradeNat', 'uniqueLocal']);
const DEFAULT_PORTS: Record<string, number> = {
  'http:': 80,
  'https:': 443,
  'rtsp:': 554,
  'rtsps:': 322,
};

function parseNetwork(text: string): [Address, number] {
  if (ipaddr.isValidCIDR(text)) return ipaddr.parseCIDR(text);
  const address = ipaddr.parse(text);
  return [address, address.kind() === 'ipv4' ? 32 : 128];
}

/** RFC 6761: `localhost` and its subdomains are this machine, whatever DNS says. */
const isLocalhostName = (host: string) => host === 'localhost' || host.endsWith('.localhost');

/** The server's own addresses, read at each check (interfaces come and go). */
function ownAddresses(): Address[] {
  return Object.values(networkInterfaces())
    .flat()
    .flatMap((entry) => (entry && ipaddr.isValid(entry.address) ? [parse(entry.address)] : []));
}

/** Parses an address, IPv4-mapped IPv6 (`::ffff:127.0.0.1`) as the IPv4 address it stands for. */
const parse = (address: string): Address => ipaddr.process(address.replace(/%.*$/, ''));

/** Why an address is refused, or null when it may be connected to. */
function refusal(
  address: Address,
  allowed: [Address, number][],
  allowPrivate: boolean,
): string | null {
  if (allowed.some((network) => network[0].kind() === address.kind() && address.match(network))) {
    return null;
  }
  const range = address.range();
  if (
    range !== 'loopback' &&
    ownAddresses().some((mine) => mine.toString() === address.toString())
  ) {
    return "one of the server's own addresses";
  }
  if (range === 'unicast') return null;
  if (PRIVATE_RANGES.has(range)) return allowPrivate ? null : 'a private network';
  const names: Record<string, string> = {
    loopback: 'a loopback address',
    unspecified: 'an unspecified address',
    linkLocal: 'a link-local address',
    multicast: 'a multicast address',
    broadcast: 'the broadcast address',
  };
  return names[range] ?? `a reserved address range (${range})`;
}

/** The policy for one kind of outbound connection (live feeds, webhooks). */
export function createOutboundPolicy(options: OutboundPolicyOptions): OutboundPolicy {
  const allowed = options.allowedNetworks.map(parseNetwork);
  const resolve = options.resolve ?? systemResolver;

  async function addressesOf(host: string): Promise<ResolvedAddress[]> {
    if (ipaddr.isValid(host)) {
      return [{ address: host, family: ipaddr.parse(host).kind() === 'ipv4' ? 4 : 6 }];
    }
    if (isLocalhostName(host)) {
      return [
        { address: '127.0.0.1', family: 4 },
        { address: '::1', family: 6 },
      ];
    }
    const found = await resolve(host).catch(() => []);
    if (found.length === 0) {
      throw new AppError('UNREACHABLE', `The ${options.purpose} host name does not resolve`);
    }
    return found;
  }

  return {
    async check(input) {
      const url = typeof input === 'string' ? new URL(input) : input;
      // The WHATWG parser already turned 2130706433, 0177.0.0.1 and 0x7f.1 into 127.0.0.1.
      const host = url.hostname
        .replace(/^\[|\]$/g, '')
        .replace(/\.+$/, '')
        .toLowerCase();
      const port = url.port ? Number(url.port) : (DEFAULT_PORTS[url.protocol] ?? 0);
      const addresses = await addressesOf(host);
      for (const { address } of addresses) {
        const why = refusal(parse(address), allowed, options.allowPrivate);
        if (why) {
          throw new AppError(
            'URL_NOT_ALLOWED',
            `This server does not connect a ${options.purpose} to ${why}`,
            { host },
          );
        }
      }
      const chosen = parse(addresses[0]!.address);
      return {
        host,
        port,
        address: chosen.toString(),
        family: chosen.kind() === 'ipv4' ? 4 : 6,
      };
    },
  };
}

/** The policies of the server's outbound connections, from configuration. */
export interface OutboundPolicies {
  liveFeeds: OutboundPolicy;
  webhooks: OutboundPolicy;
}

export function createOutboundPolicies(
  config: Pick<
    Config,
    | 'LIVE_FEED_ALLOWED_NETWORKS'
    | 'LIVE_FEED_ALLOW_PRIVATE'
    | 'WEBHOOK_ALLOWED_NETWORKS'
    | 'WEBHOOK_ALLOW_PRIVATE'
  >,
  resolve?: Resolver,
): OutboundPolicies {
  return {
    liveFeeds: createOutboundPolicy({
      purpose: 'live feed',
      allowedNetworks: config.LIVE_FEED_ALLOWED_NETWORKS,
      allowPrivate: config.LIVE_FEED_ALLOW_PRIVATE,
      resolve,
    }),
    webhooks: createOutboundPolicy({
      purpose: 'webhook',
      allowedNetworks: config.WEBHOOK_ALLOWED_NETWORKS,
      allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
      resolve,
    }),
  };
}

/**
 * Refuses with URL_NOT_ALLOWED a URL stored for later connections (a camera, a webhook) whose
 * address the policy refuses. A name that does not resolve yet passes: every connection checks
 * it again.
 */
export async function refuseDisallowedUrl(policy: OutboundPolicy, url: string): Promise<void> {
  try {
    await policy.check(url);
  } catch (error) {
    if (isAppError(error) && error.code === 'UNREACHABLE') return;
    throw error;
  }
}
