import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';

export interface Outgoing {
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body: Buffer | null;
  /** Send the body in several writes (chunked transfer encoding). */
  chunked: boolean;
}

export interface Answer {
  /** The HTTP status, or `ERR:<code>` / `TIMEOUT` / `NO-RESPONSE` when none came. */
  status: number | string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  ms: number;
}

/** Enough of any answer to check it; the rest (the docs bundle) is read and dropped. */
const KEEP_BYTES = 256 * 1024;

/**
 * HTTP/1.1 over a bounded pool of keep-alive connections, with Node's own
 * client (which still refuses to write some bytes; `raw` writes anything).
 */
export function fuzzClient(baseUrl: string, concurrency: number, timeoutMs: number) {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });

  /**
   * Sends one request. A reset is retried once on a fresh connection, as
   * Node's documentation advises; `retried` says so, and the summary counts
   * them. On a pooled connection it is the keep-alive race every client
   * meets. On a fresh one it is an upload the gateway refused without
   * reading (an admin request with a wrong token: nothing is read before
   * authentication) and closed while the client was still writing; under
   * MariaDB's timing that happened to about one run in two at seed 20261122
   * (#1563-#1567). A reset on the retry as well still fails the run.
   */
  async function send(out: Outgoing): Promise<Answer & { retried: boolean }> {
    const first = await attempt(out, agent);
    if (!/^ERR:(ECONNRESET|EPIPE)$/.test(String(first.status))) return { ...first, retried: false };
    return { ...(await attempt(out, false)), retried: true };
  }

  function attempt(out: Outgoing, via: Agent | false): Promise<Answer & { reusedSocket: boolean }> {
    const started = performance.now();
    return new Promise((resolve) => {
      let settled = false;
      let reusedSocket = false;
      const finish = (a: Omit<Answer, 'ms'>) => {
        if (settled) return;
        settled = true;
        resolve({ ...a, ms: performance.now() - started, reusedSocket });
      };
      const none = { headers: {}, body: Buffer.alloc(0) };
      // Framing is explicit for every method: Node's client leaves it out for a GET or HEAD body, and the
      // server would then read that body as the next request.
      const headers = { ...out.headers };
      if (out.body) {
        if (out.chunked) headers['Transfer-Encoding'] = 'chunked';
        else headers['Content-Length'] = String(out.body.length);
      }
      let req: ReturnType<typeof request>;
      try {
        req = request({ agent: via, host: url.hostname, port: url.port, method: out.method, path: out.path, headers, timeout: timeoutMs });
      } catch (err) {
        finish({ status: `CLIENT:${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, ...none });
        return;
      }
      req.on('socket', () => (reusedSocket = req.reusedSocket));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on('data', (c: Buffer) => {
          if (kept < KEEP_BYTES) {
            chunks.push(c);
            kept += c.length;
          }
        });
        const done = () => finish({ status: res.statusCode ?? 'NO-STATUS', headers: res.headers, body: Buffer.concat(chunks) });
        res.on('end', done);
        res.on('error', done);
        res.on('aborted', done);
      });
      req.on('timeout', () => {
        finish({ status: 'TIMEOUT', ...none });
        req.destroy();
      });
      req.on('error', (err: NodeJS.ErrnoException) => finish({ status: `ERR:${err.code ?? err.message}`, ...none }));
      if (out.body && out.chunked && out.body.length > 2) {
        const third = Math.ceil(out.body.length / 3);
        req.write(out.body.subarray(0, third));
        req.write(out.body.subarray(third, 2 * third));
        req.end(out.body.subarray(2 * third));
      } else {
        req.end(out.body ?? undefined);
      }
    });
  }

  /** Writes bytes to a fresh connection and reads what comes back until the server closes or goes quiet. */
  function raw(bytes: Buffer, quietMs: number): Promise<Answer & { statuses: number[] }> {
    const started = performance.now();
    return new Promise((resolve) => {
      const socket = connect({ host: url.hostname, port: Number(url.port) });
      const chunks: Buffer[] = [];
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (error?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        const text = Buffer.concat(chunks).toString('latin1');
        const statuses = [...text.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1]));
        const status = statuses.length ? Math.max(...statuses) : (error ?? 'NO-RESPONSE');
        resolve({ status, statuses, headers: {}, body: Buffer.concat(chunks), ms: performance.now() - started });
      };
      const quiet = () => {
        clearTimeout(timer);
        timer = setTimeout(() => finish(), quietMs);
      };
      socket.on('connect', () => {
        socket.write(bytes);
        quiet();
      });
      socket.on('data', (c: Buffer) => {
        chunks.push(c);
        quiet();
      });
      socket.on('end', () => finish());
      socket.on('close', () => finish());
      socket.on('error', (err: NodeJS.ErrnoException) => finish(`ERR:${err.code ?? err.message}`));
    });
  }

  return { send, raw, close: () => agent.destroy() };
}
