import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';

/** Why an outbound call got no answer; secret-free, for logs and attempt rows. */
export type OutboundErrorClass = 'BAD_URL' | 'INSECURE_URL' | 'SSRF_BLOCKED' | 'DNS' | 'TIMEOUT' | 'CONNECTION';

export type OutboundExchange =
  | {
      readonly kind: 'answer';
      readonly status: number;
      readonly headers: http.IncomingHttpHeaders;
      /** The answer as read: at most `maxReadBytes` (+1, to tell that it was longer). */
      readonly body: Buffer;
      /** The answer was longer than `maxReadBytes`; reading stopped there. */
      readonly truncated: boolean;
      readonly retryAfter: string | null;
    }
  | { readonly kind: 'error'; readonly errorClass: OutboundErrorClass; readonly detail: string };

export interface ExchangeOptions {
  /** Keep-alive pools, one per scheme: each caller keeps its own. */
  readonly agents: { readonly http: http.Agent; readonly https: https.Agent };
  /** Epoch ms by which the whole exchange (connect, request, answer) must be over. */
  readonly deadline: number;
  /** What the deadline was, for the error's detail. */
  readonly timeoutMs: number;
  /** Read at most this much of the answer. */
  readonly maxReadBytes: number;
  /** Replaces DNS for this request (the SSRF guard pins the addresses it checked). */
  readonly lookup?: LookupFunction;
}

/**
 * One POST and its answer, the single implementation behind every outbound
 * call (GuardedHttpClient for merchants' URLs, the Alipay+ client, the
 * simulator). Never rejects: every failure is an `error` exchange. One
 * wall-clock timer bounds the whole exchange, since a socket idle timeout
 * alone lets a slow drip run forever; redirects are never followed (a 3xx is
 * an answer); reading stops past `maxReadBytes`.
 */
export function exchange(url: URL, headers: Record<string, string>, body: Buffer, options: ExchangeOptions): Promise<OutboundExchange> {
  const isHttps = url.protocol === 'https:';
  if (!isHttps && url.protocol !== 'http:') return Promise.resolve(failure('BAD_URL', `${url.protocol} is not HTTP`));
  return new Promise<OutboundExchange>((resolve) => {
    let settled = false;
    const finish = (result: OutboundExchange) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = (isHttps ? https : http).request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(body.length) },
        agent: isHttps ? options.agents.https : options.agents.http,
        // TLS still checks the certificate against the URL's name (options.host), not a pinned address.
        ...(options.lookup ? { lookup: options.lookup } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () =>
          finish({
            kind: 'answer',
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
            truncated: size > options.maxReadBytes,
            retryAfter: header(response, 'retry-after'),
          });
        response.on('data', (chunk: Buffer) => {
          if (size <= options.maxReadBytes) chunks.push(chunk.subarray(0, options.maxReadBytes + 1 - size));
          size += chunk.length;
          // Enough to judge the answer: stop reading, let the socket go.
          if (size > options.maxReadBytes) {
            done();
            request.destroy();
          }
        });
        response.on('end', done);
        // Socket gone mid-body: whatever arrived cannot be trusted as complete.
        response.on('error', () => finish(failure('CONNECTION', 'the connection broke while reading the answer')));
        response.on('close', () => finish(failure('CONNECTION', 'the connection closed before the answer ended')));
      },
    );
    const timer = setTimeout(
      () => {
        finish(failure('TIMEOUT', `no complete answer within ${options.timeoutMs} ms`));
        request.destroy();
      },
      Math.max(0, options.deadline - Date.now()),
    );
    request.on('error', (err: NodeJS.ErrnoException) => finish(failure('CONNECTION', `connection failed (${err.code ?? 'error'})`)));
    request.end(body);
  });
}

export function failure(errorClass: OutboundErrorClass, detail: string): OutboundExchange {
  return { kind: 'error', errorClass, detail };
}

function header(response: http.IncomingMessage, name: string): string | null {
  const v = response.headers[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? (v[0] ?? null) : null;
}
