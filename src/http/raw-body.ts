import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received: every signature in this product is over these bytes. */
    rawBody?: Buffer;
    /** The Content-Type the caller sent (Fastify itself is shown a neutral one: see installRawBodyParsers). */
    declaredContentType?: string;
  }
}

/** What every body is shown to Fastify as, so that its own checks never answer for a route. */
const NEUTRAL_CONTENT_TYPE = 'application/octet-stream';

/**
 * Keeps every request body as raw bytes and parses nothing. Whoever
 * authenticates the caller parses after that, strictly (parseStrictJson):
 * protocol routes once the signature over these bytes verifies, admin routes
 * once the token does. So an unauthenticated body costs its reading and
 * nothing more.
 *
 * The declared Content-Type is kept aside and Fastify is shown a neutral one:
 * a missing or malformed type (`""`, `;`, `json`) would otherwise get
 * Fastify's bare 415, where protocol routes owe a signed answer and admin
 * routes their error envelope. A body over the limit gets 413: from the server
 * under Fastify when its Content-Length says so (gatewayServerFactory), else
 * from Fastify once the limit is reached while reading.
 */
export function installRawBodyParsers(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
    req.rawBody = body as Buffer;
    done(null, undefined);
  });
  fastify.addHook('onRequest', (req, _reply, done) => {
    const declared = req.headers['content-type'];
    if (declared !== undefined) {
      req.declaredContentType = declared;
      req.raw.headers['content-type'] = NEUTRAL_CONTENT_TYPE;
    }
    done();
  });
}

/** The raw body of a request, empty when it had none (GET, or no content-type). */
export function rawBodyOf(req: FastifyRequest): Buffer {
  return req.rawBody ?? Buffer.alloc(0);
}

/** True when the caller declared JSON: `application/json`, any parameters, any case. */
export function declaresJson(req: FastifyRequest): boolean {
  const declared = req.declaredContentType;
  if (declared === undefined) return false;
  const semicolon = declared.indexOf(';');
  return (semicolon < 0 ? declared : declared.slice(0, semicolon)).trim().toLowerCase() === 'application/json';
}
