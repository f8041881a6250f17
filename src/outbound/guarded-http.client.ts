import http from 'node:http';
import https from 'node:https';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { SsrfBlockedError, SsrfGuard, UnresolvableHostError, type ResolvedAddress } from './ssrf-guard';

/** Why an outbound call got no answer; secret-free, for logs and attempt rows. */
export type OutboundErrorClass = 'BAD_URL' | 'INSECURE_URL' | 'SSRF_BLOCKED' | 'DNS' | 'TIMEOUT' | 'CONNECTION';

export type OutboundExchange =
  | {
      readonly kind: 'answer';
      readonly status: number;
      /** The answer as read: at most `maxReadBytes` (+1, to tell that it was longer). */
      readonly body: Buffer;
      /** The answer was longer than `maxReadBytes`; reading stopped there. */
      readonly truncated: boolean;
      readonly retryAfter: string | null;
    }
  | { readonly kind: 'error'; readonly errorClass: OutboundErrorClass; readonly detail: string };

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
 * it. It never follows redirects (a 3xx is an answer, never a second
 * request), refuses plain http in production, bounds the whole exchange with
 * one timer, and reads a bounded part of the answer.
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
    const isHttps = url.protocol === 'https:';
    return new Promise<OutboundExchange>((resolve) => {
      let settled = false;
      const finish = (exchange: OutboundExchange) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(exchange);
      };
      const request = (isHttps ? https : http).request(
        url,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(body.length) },
          agent: isHttps ? this.agents.https : this.agents.http,
          // TLS still checks the certificate against the URL's name (options.host), not the pinned address.
          lookup: pinnedLookup(addresses),
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          const done = () =>
            finish({
              kind: 'answer',
              status: response.statusCode ?? 0,
              body: Buffer.concat(chunks),
              truncated: size > call.maxReadBytes,
              retryAfter: header(response, 'retry-after'),
            });
          response.on('data', (chunk: Buffer) => {
            if (size <= call.maxReadBytes) chunks.push(chunk.subarray(0, call.maxReadBytes + 1 - size));
            size += chunk.length;
            // Enough to judge the answer: stop reading, let the socket go.
            if (size > call.maxReadBytes) {
              done();
              request.destroy();
            }
          });
          response.on('end', done);
          response.on('error', () => finish(failure('CONNECTION', 'the connection broke while reading the answer')));
          response.on('close', () => finish(failure('CONNECTION', 'the connection closed before the answer ended')));
        },
      );
      const timer = setTimeout(
        () => {
          finish(failure('TIMEOUT', `no complete answer within ${call.timeoutMs} ms`));
          request.destroy();
        },
        Math.max(0, deadline - Date.now()),
      );
      request.on('error', (err: NodeJS.ErrnoException) => finish(failure('CONNECTION', `connection failed (${err.code ?? 'error'})`)));
      request.end(body);
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

function header(response: http.IncomingMessage, name: string): string | null {
  const v = response.headers[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? (v[0] ?? null) : null;
}

function failure(errorClass: OutboundErrorClass, detail: string): OutboundExchange {
  return { kind: 'error', errorClass, detail };
}

class DeadlineError extends Error {}

function withDeadline<T>(work: Promise<T>, deadline: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError()), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
