import type { KeyObject } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { signedResponseHeaders } from '../signing';

/** The `result` object every Alipay+ and Antom answer carries. */
export interface ProtocolResult {
  resultCode: string;
  resultStatus: 'S' | 'F' | 'U';
  resultMessage: string;
}

/**
 * Sends a signed protocol answer: HTTP 200, the body as exact bytes, and the
 * lower-case `client-id` / `response-time` / `signature` headers (the official
 * Python SDK matches response header names case-sensitively in lower case).
 */
export function sendSigned(
  req: FastifyRequest,
  reply: FastifyReply,
  signer: { clientId: string; privateKey: KeyObject },
  body: object,
  now: Date,
): FastifyReply {
  const raw = Buffer.from(JSON.stringify(body), 'utf8');
  const headers = signedResponseHeaders(
    { method: req.method, path: req.url, clientId: signer.clientId, time: now.toISOString(), body: raw },
    signer.privateKey,
  );
  return reply.status(200).headers(headers).send(raw);
}
