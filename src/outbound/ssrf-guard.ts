import { promises as dns } from 'node:dns';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { Clock, SystemClock } from '../common/clock';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { embeddedIpv4, formatIp, inRange, parseCidr, parseIp, type IpAddress, type IpRange } from '../config/ip-range';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Name resolution as a dependency, so tests can answer 10.0.0.1 for any name without a DNS server. */
/** How long a host's addresses are reused. */
const ANSWER_TTL_MS = 10_000;
/** Hosts remembered at most; past it the memory starts afresh. */
const MAX_HOSTS = 10_000;

/**
 * The system resolver (getaddrinfo: /etc/hosts, then DNS), each answer reused
 * for ANSWER_TTL_MS and shared by concurrent askers: a cancellation's hundred
 * callbacks to one host ask once, not once each on libuv's thread pool (where
 * the callback signatures are computed too). The guard checks every answer
 * it is given, cached or not, and the connection goes to what it checked.
 * Failures are not remembered.
 */
@Injectable()
export class DnsResolver {
  private readonly remembered = new Map<string, { addresses: Promise<ResolvedAddress[]>; expiresAt: number }>();

  constructor(@Optional() private readonly clock: Clock = new SystemClock()) {}

  lookupAll(host: string): Promise<ResolvedAddress[]> {
    const now = this.clock.now().getTime();
    const known = this.remembered.get(host);
    if (known && known.expiresAt > now) return known.addresses;
    if (this.remembered.size >= MAX_HOSTS) this.remembered.clear();
    const addresses = dns
      .lookup(host, { all: true, verbatim: true })
      .then((found) => found.map((a): ResolvedAddress => ({ address: a.address, family: a.family === 6 ? 6 : 4 })));
    const entry = { addresses, expiresAt: now + ANSWER_TTL_MS };
    this.remembered.set(host, entry);
    addresses.catch(() => this.remembered.get(host) === entry && this.remembered.delete(host));
    return addresses;
  }
}

/** A callback URL's host is, or resolves to, an address the gateway must not call. */
export class SsrfBlockedError extends Error {
  readonly errorClass = 'SSRF_BLOCKED';
  constructor(
    readonly address: string,
    readonly reason: string,
  ) {
    super(`${address} is ${reason}`);
    this.name = 'SsrfBlockedError';
  }
}

/** The host has no address (NXDOMAIN, no network, resolver timeout). */
export class UnresolvableHostError extends Error {
  readonly errorClass = 'DNS';
  constructor(
    readonly host: string,
    readonly code: string,
  ) {
    super(`${host} does not resolve (${code})`);
    this.name = 'UnresolvableHostError';
  }
}

const range = (cidr: string, reason: string) => ({ range: parseCidr(cidr)!, reason });

/**
 * Never-callable networks (RFC 6890 special-purpose registries): what a
 * callback URL could use to reach the gateway's own host, its private network,
 * or a cloud metadata service (169.254.169.254).
 */
const BLOCKED: ReadonlyArray<{ range: IpRange; reason: string }> = [
  range('0.0.0.0/8', 'the "this network" range'),
  range('10.0.0.0/8', 'private (10/8)'),
  range('100.64.0.0/10', 'carrier-grade NAT (100.64/10)'),
  range('127.0.0.0/8', 'loopback'),
  range('169.254.0.0/16', 'link-local (incl. cloud metadata)'),
  range('172.16.0.0/12', 'private (172.16/12)'),
  range('192.0.0.0/24', 'IETF protocol assignments'),
  range('192.0.2.0/24', 'documentation (TEST-NET-1)'),
  range('192.88.99.0/24', 'the 6to4 relay anycast'),
  range('192.168.0.0/16', 'private (192.168/16)'),
  range('198.18.0.0/15', 'benchmarking'),
  range('198.51.100.0/24', 'documentation (TEST-NET-2)'),
  range('203.0.113.0/24', 'documentation (TEST-NET-3)'),
  range('224.0.0.0/4', 'multicast'),
  range('240.0.0.0/4', 'reserved (incl. broadcast)'),
  range('::/128', 'the unspecified address'),
  range('::1/128', 'loopback'),
  range('::/96', 'IPv4-compatible (deprecated)'),
  range('64:ff9b:1::/48', 'local-use NAT64'),
  range('100::/64', 'discard-only'),
  range('2001:db8::/32', 'documentation'),
  range('2002::/16', '6to4 (embeds any IPv4 address)'),
  range('fc00::/7', 'unique local (fc00::/7)'),
  range('fe80::/10', 'link-local (fe80::/10)'),
  range('fec0::/10', 'site-local (deprecated)'),
  range('ff00::/8', 'multicast'),
];

/**
 * Decides which addresses callbacks may connect to. Checked on the resolved
 * addresses the connection will actually use (see CallbackClient), so a name
 * that resolves to a private address, or re-resolves to one later (DNS
 * rebinding), is refused. `CALLBACK_ALLOW_PRIVATE_NETWORKS` opens chosen
 * ranges for development and tests.
 */
@Injectable()
export class SsrfGuard {
  private readonly allowed: IpRange[];

  constructor(
    @Inject(GATEWAY_CONFIG) config: { callbacks?: Pick<GatewayConfig['callbacks'], 'allowPrivateNetworks'> },
    private readonly resolver: DnsResolver,
  ) {
    this.allowed = (config.callbacks?.allowPrivateNetworks ?? []).map((c) => parseCidr(c)).filter((r): r is IpRange => r !== null);
  }

  /** Why `address` may not be called, or null when it may. */
  blockedReason(address: string): string | null {
    const ip = parseIp(stripBrackets(address));
    if (!ip) return 'not an IP address';
    const v4 = embeddedIpv4(ip);
    // The allowlist is asked first, in both spellings, so `127.0.0.0/8` also opens `::ffff:127.0.0.1`.
    if (this.isAllowed(ip) || (v4 && this.isAllowed(v4))) return null;
    if (v4) {
      const reason = blockedBy(v4);
      return reason && `${reason} (as ${formatIp(ip)})`;
    }
    return blockedBy(ip);
  }

  /**
   * Every address of `host` (a name or an IP literal), each checked; throws
   * SsrfBlockedError if any is refused (a name mixing public and private
   * answers is not trusted), UnresolvableHostError if there are none.
   */
  async resolve(host: string): Promise<ResolvedAddress[]> {
    const literal = parseIp(stripBrackets(host));
    let addresses: ResolvedAddress[];
    if (literal) {
      addresses = [{ address: stripBrackets(host), family: literal.family }];
    } else {
      try {
        addresses = await this.resolver.lookupAll(host);
      } catch (err) {
        throw new UnresolvableHostError(host, (err as NodeJS.ErrnoException).code ?? 'ERROR');
      }
      if (addresses.length === 0) throw new UnresolvableHostError(host, 'NODATA');
    }
    for (const a of addresses) {
      const reason = this.blockedReason(a.address);
      if (reason) throw new SsrfBlockedError(a.address, reason);
    }
    return addresses;
  }

  private isAllowed(ip: IpAddress): boolean {
    return this.allowed.some((r) => inRange(ip, r));
  }
}

function blockedBy(ip: IpAddress): string | null {
  return BLOCKED.find((b) => inRange(ip, b.range))?.reason ?? null;
}

/** URL.hostname keeps IPv6 literals in brackets (`[::1]`). */
export function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
