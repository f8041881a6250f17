import http from 'node:http';
import https from 'node:https';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import type { AttemptResult, TransportErrorClass } from './delivery-policy';
import { SsrfBlockedError, SsrfGuard, UnresolvableHostError, type ResolvedAddress } from './ssrf-guard';

/** Answers are read this far at most: an acknowledgement is a few hundred bytes. */
const MAX_READ_BYTES = 64 * 1024;
/** What an attempt row keeps of the answer. */
export const STORED_BODY_BYTES = 1024;

export interface CallbackExchange {
  readonly result: AttemptResult;
  /** The first 1 KiB of the answer, if any. */
  readonly responseBody: string | null;
  /** A short, secret-free description for logs and `last_error`. */
  readonly detail: string | null;
}

/**
 * POSTs one callback. The URL's host is resolved once and every address
 * checked by the SSRF guard before any socket exists; the connection then
 * goes to exactly those checked addresses (a pinned `lookup`), so a DNS answer
 * that changes between check and connect (rebinding) cannot redirect it.
 * Never follows redirects (a 3xx is a failed attempt), bounds the whole
 * exchange with one timer, and reads at most 64 KiB of the answer.
 */
@Injectable()
export class CallbackClient implements OnApplicationShutdown {
  /** Exposed so tests can prove a refused callback never opens a connection. */
  readonly agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'nodeEnv' | 'callbacks'>,
    private readonly guard: SsrfGuard,
  ) {}

  onApplicationShutdown(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  async post(rawUrl: string, headers: Record<string, string>, body: Buffer): Promise<CallbackExchange> {
    const deadline = Date.now() + this.config.callbacks.timeoutMs;
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      return failure('BAD_URL', 'the endpoint URL does not parse');
    }
    if (url.protocol !== 'https:' && (this.config.nodeEnv === 'production' || url.protocol !== 'http:')) {
      return failure('INSECURE_URL', `${url.protocol} callbacks are refused${this.config.nodeEnv === 'production' ? ' in production' : ''}`);
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
    return this.send(url, headers, body, addresses, deadline);
  }

  private send(url: URL, headers: Record<string, string>, body: Buffer, addresses: ResolvedAddress[], deadline: number): Promise<CallbackExchange> {
    const isHttps = url.protocol === 'https:';
    return new Promise<CallbackExchange>((resolve) => {
      let settled = false;
      const finish = (exchange: CallbackExchange) => {
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
          const done = () => {
            const raw = Buffer.concat(chunks);
            const status = response.statusCode ?? 0;
            finish({
              result: { kind: 'answer', httpStatus: status, resultStatus: resultStatusOf(status, raw, size > MAX_READ_BYTES), retryAfter: header(response, 'retry-after') },
              responseBody: raw.length === 0 ? null : raw.subarray(0, STORED_BODY_BYTES).toString('utf8'),
              detail: `HTTP ${status}`,
            });
          };
          response.on('data', (chunk: Buffer) => {
            if (size <= MAX_READ_BYTES) chunks.push(chunk.subarray(0, MAX_READ_BYTES + 1 - size));
            size += chunk.length;
            // Enough to judge the answer: stop reading, let the socket go.
            if (size > MAX_READ_BYTES) {
              done();
              request.destroy();
            }
          });
          response.on('end', done);
          response.on('error', () => finish(failure('CONNECTION', 'the connection broke while reading the answer')));
          response.on('close', () => finish(failure('CONNECTION', 'the connection closed before the answer ended')));
        },
      );
      const timer = setTimeout(() => {
        finish(failure('TIMEOUT', `no complete answer within ${this.config.callbacks.timeoutMs} ms`));
        request.destroy();
      }, Math.max(0, deadline - Date.now()));
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
      callback(null, usable.map((a) => ({ address: a.address, family: a.family })));
    } else {
      callback(null, usable[0]!.address, usable[0]!.family);
    }
  };
}

function resultStatusOf(status: number, raw: Buffer, truncated: boolean): string | null {
  if (status !== 200 || truncated) return null;
  try {
    const parsed = JSON.parse(raw.toString('utf8')) as { result?: { resultStatus?: unknown } } | null;
    const s = parsed?.result?.resultStatus;
    return typeof s === 'string' ? s : null;
  } catch {
    return null;
  }
}

function header(response: http.IncomingMessage, name: string): string | null {
  const v = response.headers[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? (v[0] ?? null) : null;
}

function failure(errorClass: TransportErrorClass, detail: string): CallbackExchange {
  return { result: { kind: 'error', errorClass }, responseBody: null, detail };
}

class DeadlineError extends Error {}

function withDeadline<T>(work: Promise<T>, deadline: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError()), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
