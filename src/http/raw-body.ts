import type { FastifyInstance, FastifyRequest } from 'fastify';
import sjson from 'secure-json-parse';
import { MAX_JSON_DEPTH, tooDeepField } from '../common/validation';

/** Why a request body could not be used, recorded instead of failing inside Fastify. */
export type BodyProblem = 'INVALID_JSON' | 'UNSUPPORTED_MEDIA_TYPE';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received: every signature in this product is over these bytes. */
    rawBody?: Buffer;
    bodyProblem?: BodyProblem;
  }
}

/**
 * Keeps every request body as raw bytes and parses JSON without throwing, so
 * protocol routes can answer a malformed body with their own signed result
 * (Alipay+ and the Antom SDKs expect one) rather than a bare Fastify 400.
 * Bodies over the limit still get Fastify's 413 before any of this runs.
 */
export function installRawBodyParsers(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const raw = body as Buffer;
    req.rawBody = raw;
    try {
      const parsed: unknown = raw.length === 0 ? undefined : sjson.parse(raw.toString('utf8'), undefined, { protoAction: 'error', constructorAction: 'error' });
      // Deeper than any body we accept: refused here, before validators recurse into it.
      if (tooDeepField(parsed, MAX_JSON_DEPTH) !== null) throw new Error('too deep');
      done(null, parsed);
    } catch {
      req.bodyProblem = 'INVALID_JSON';
      done(null, undefined);
    }
  });
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
    req.rawBody = body as Buffer;
    req.bodyProblem = 'UNSUPPORTED_MEDIA_TYPE';
    done(null, undefined);
  });
}

/** The raw body of a request, empty when it had none (GET, or no content-type). */
export function rawBodyOf(req: FastifyRequest): Buffer {
  return req.rawBody ?? Buffer.alloc(0);
}
