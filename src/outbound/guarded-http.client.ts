import http from 'node:http';
import https from 'node:https';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { exchange, failure, type OutboundExchange } from './http-exchange';
import { SsrfBlockedError, SsrfGuard, UnresolvableHostError, type ResolvedAddress } from './ssrf-guard';

export interface OutboundCall {
  /** The whole exchange: name resolution, connect, request, answer. */
  readonly timeoutMs: number;
  /** Read at most this much of the answer. */
  readonly maxReadBytes: number;
}

/**
 * The one way the gateway calls a URL a merchant gave it (callback endpoints,
 * consult URLs, anything added later). The host is resolved once and every
 * address checked by the SSRF guard before any socket exists; the connection
 * then goes to exactly those checked addresses (a pinned `lookup`), so a DNS
 * answer that changes between check and connect (rebinding) cannot redirect
 * it. It refuses plain http in production; the exchange itself (one timer,
 * no redirects, a bounded read) is `exchange()`, shared with the Alipay+
 * client.
 */
@Injectable()
export class GuardedHttpClient implements OnApplicationShutdown {
  /** Exposed so tests can prove a refused call never opens a connection. */
  readonly agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'nodeEnv'>,
    private readonly guard: SsrfGuard,
  ) {}

  onApplicationShutdown(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  async post(rawUrl: string, headers: Record<string, string>, body: Buffer, call: OutboundCall): Promise<OutboundExchange> {
    const deadline = Date.now() + call.timeoutMs;
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      return failure('BAD_URL', 'the URL does not parse');
    }
    if (url.protocol !== 'https:' && (this.config.nodeEnv === 'production' || url.protocol !== 'http:')) {
      return failure('INSECURE_URL', `${url.protocol} URLs are refused${this.config.nodeEnv === 'production' ? ' in production' : ''}`);
    }
    let addresses: ResolvedAddress[];
    try {
      addresses = await withDeadline(this.guard.resolve(url.hostname), deadline);
    } catch (err) {
      if (err instanceof SsrfBlockedError) return failure('SSRF_BLOCKED', err.message);
      if (err instanceof UnresolvableHostError) return failure('DNS', err.message);
      if (err instanceof DeadlineError) return failure('TIMEOUT', 'name resolution timed out');
      throw err;
    }
    return this.send(url, headers, body, addresses, deadline, call);
  }

  private send(
    url: URL,
    headers: Record<string, string>,
    body: Buffer,
    addresses: ResolvedAddress[],
    deadline: number,
    call: OutboundCall,
  ): Promise<OutboundExchange> {
    return exchange(url, headers, body, {
      agents: this.agents,
      deadline,
      timeoutMs: call.timeoutMs,
      maxReadBytes: call.maxReadBytes,
      lookup: pinnedLookup(addresses),
    });
  }
}

/** A `lookup` that answers with the already-checked addresses instead of asking DNS again. */
function pinnedLookup(addresses: readonly ResolvedAddress[]) {
  return (
    _host: string,
    options: LookupOptions,
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    const usable = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
    if (usable.length === 0) {
      callback(Object.assign(new Error('no checked address of the requested family'), { code: 'ENOTFOUND' }), '', 0);
    } else if (options.all) {
      callback(
        null,
        usable.map((a) => ({ address: a.address, family: a.family })),
      );
    } else {
      callback(null, usable[0].address, usable[0].family);
    }
  };
}

class DeadlineError extends Error {}

function withDeadline<T>(work: Promise<T>, deadline: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError()), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
