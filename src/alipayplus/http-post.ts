import http from 'node:http';
import https from 'node:https';

export interface HttpPostOptions {
  /** Agent for http: URLs (keep-alive, reused across calls). */
  httpAgent: http.Agent;
  /** Agent for https: URLs. */
  httpsAgent: https.Agent;
  /** Whole-exchange budget: socket wait, connect, request and the full response body, in ms. */
  timeoutMs: number;
  /** Bodies past this size are abandoned (`too-large`). */
  maxResponseBytes: number;
}

export type HttpPostResult =
  | { kind: 'raw'; status: number; headers: http.IncomingHttpHeaders; body: Buffer }
  | { kind: 'timeout' }
  | { kind: 'connection' }
  | { kind: 'too-large'; httpStatus: number };

/**
 * POSTs `body` and reads the whole answer as bytes (signatures are over the
 * raw body). Never rejects: every failure is a result. A wall-clock timer
 * bounds the exchange, since a socket idle timeout alone lets a slow drip run
 * forever.
 */
export function postBuffer(url: URL, headers: Record<string, string>, body: Buffer, options: HttpPostOptions): Promise<HttpPostResult> {
  const isHttps = url.protocol === 'https:';
  if (!isHttps && url.protocol !== 'http:') return Promise.resolve({ kind: 'connection' });
  return new Promise<HttpPostResult>((resolve) => {
    let settled = false;
    const finish = (result: HttpPostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const send = isHttps ? https.request : http.request;
    const request = send(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(body.length) },
        agent: isHttps ? options.httpsAgent : options.httpAgent,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxResponseBytes) {
            finish({ kind: 'too-large', httpStatus: status });
            request.destroy();
          } else {
            chunks.push(chunk);
          }
        });
        response.on('end', () => finish({ kind: 'raw', status, headers: response.headers, body: Buffer.concat(chunks) }));
        // Socket gone mid-body: whatever arrived cannot be trusted as complete.
        response.on('error', () => finish({ kind: 'connection' }));
        response.on('close', () => finish({ kind: 'connection' }));
      },
    );
    const timer = setTimeout(() => {
      finish({ kind: 'timeout' });
      request.destroy();
    }, options.timeoutMs);
    request.on('error', () => finish({ kind: 'connection' }));
    request.end(body);
  });
}
