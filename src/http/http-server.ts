import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** What Fastify answers for a body over its limit; ours before Fastify sees the request is the same. */
const BODY_TOO_LARGE = Buffer.from(JSON.stringify({ statusCode: 413, message: 'Request body is too large' }));

export interface GatewayServerOptions {
  /** Requests whose Content-Length is over this are answered 413 before Fastify sees them. */
  bodyLimitBytes: number;
  /** The whole request within this, its headers within a third of it; else 408 and the connection closed. */
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** Told of each such refusal (metrics). */
  onOversized?: (method: string) => void;
}

/**
 * The HTTP server under Fastify (its serverFactory). It answers one thing
 * itself: a request declaring a body over the limit gets 413 at once, with
 * no routing, no request objects, no hooks, reading no more of the body and
 * closing once the answer is written. That is the cheapest answer there is
 * to a flood of big unauthenticated bodies, which then cost the gateway
 * their headers and the first read of the socket. Everything else goes to
 * Fastify, whose own limit still stops a chunked body at the limit.
 * Otherwise it is the server Fastify would make, plus request timeouts.
 */
export function gatewayServerFactory(options: GatewayServerOptions) {
  return (handler: (req: IncomingMessage, res: ServerResponse) => void): Server => {
    const server = createServer(
      {
        // A slow sender holds a connection so long and no longer (the server Fastify makes never times one out).
        requestTimeout: options.requestTimeoutMs,
        headersTimeout: Math.ceil(options.requestTimeoutMs / 3),
        // How often Node looks for requests past those: by default every 30 s, whatever the timeouts.
        connectionsCheckingInterval: Math.min(5_000, Math.ceil(options.requestTimeoutMs / 4)),
      },
      (req, res) => {
        if (Number(req.headers['content-length']) > options.bodyLimitBytes) {
          refuseOversized(req, res);
          options.onOversized?.(req.method ?? 'POST');
          return;
        }
        handler(req, res);
      },
    );
    server.keepAliveTimeout = options.keepAliveTimeoutMs;
    server.setTimeout(0);
    closeConnectionsAsTheyIdle(server);
    return server;
  };
}

/** While the server closes, how often connections whose last answer has gone out are closed. */
const CLOSING_SWEEP_MS = 100;

/**
 * Closing, Fastify closes the connections that are idle at that moment; one
 * still answering a request becomes idle a moment later and would then stay
 * open for the whole keep-alive timeout (65 s), holding the shutdown. Until
 * the server has closed, idle connections are closed as they appear.
 */
function closeConnectionsAsTheyIdle(server: Server): void {
  const close = server.close.bind(server);
  server.close = (callback?: (err?: Error) => void) => {
    const sweep = setInterval(() => server.closeIdleConnections(), CLOSING_SWEEP_MS).unref();
    return close((err?: Error) => {
      clearInterval(sweep);
      callback?.(err);
    });
  };
}

function refuseOversized(req: IncomingMessage, res: ServerResponse): void {
  const socket = req.socket;
  skipBodyCopies(socket);
  // No more of the body is read; the connection closes once the answer is out (before Node's own
  // finish handler, which would resume reading to discard the body).
  socket.pause();
  res.prependOnceListener('finish', () => socket.destroy());
  res.writeHead(413, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': BODY_TOO_LARGE.length,
    'x-request-id': randomUUID(),
    connection: 'close',
  });
  res.end(BODY_TOO_LARGE);
}

/** The slot of Node's HTTP parser that holds its body callback (node:_http_common, an internal module). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const K_ON_BODY: unknown = (require('_http_common') as { HTTPParser?: { kOnBody?: unknown } }).HTTPParser?.kOnBody;

/**
 * Node's HTTP parser copies every body chunk it parses into a new Buffer for
 * the request, even the rest of the socket's first read after we have
 * refused it: up to 64 KiB per connection. Under a flood of big bodies those
 * copies were most of the gateway's garbage, and collecting it was most of
 * what the flood cost everyone else (bench/flood.bench.ts). Without a body
 * callback the parser skips the copy; ours is put back when the connection
 * closes, after Node has returned the parser to its pool, so the next
 * connection to use it reads bodies again. This leans on Node internals
 * (stable since Node 12); where they differ, nothing is skipped.
 */
function skipBodyCopies(socket: Socket): void {
  const parser = (socket as Socket & { parser?: Record<number, unknown> | null }).parser;
  if (!parser || typeof K_ON_BODY !== 'number' || typeof parser[K_ON_BODY] !== 'function') return;
  const onBody = parser[K_ON_BODY];
  parser[K_ON_BODY] = null;
  socket.once('close', () => {
    parser[K_ON_BODY] = onBody;
  });
}
