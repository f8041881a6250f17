import type { KeyObject } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatResponseTime, SignatureMemo, signedResponseHeaders } from '../signing';

/** S succeeded, F failed for good, U not known yet (call again). */
export const RESULT_STATUSES = ['S', 'F', 'U'] as const;

/** The `result` object every Alipay+ and Antom answer carries. */
export interface ProtocolResult {
  resultCode: string;
  resultStatus: (typeof RESULT_STATUSES)[number];
  resultMessage: string;
}

/** One memo per private key: the gateway signs with its Alipay+ key and its merchant-facing key. */
const memos = new WeakMap<KeyObject, SignatureMemo>();

function memoFor(privateKey: KeyObject): SignatureMemo {
  let memo = memos.get(privateKey);
  if (!memo) memos.set(privateKey, (memo = new SignatureMemo(privateKey)));
  return memo;
}

/**
 * Sends a signed protocol answer: HTTP 200, the body as exact bytes, and the
 * lower-case `client-id` / `response-time` / `signature` headers (the official
 * Python SDK matches response header names case-sensitively in lower case).
 * The response time is to the whole second, as Alipay+ and Antom document it,
 * so identical answers within a second reuse one RSA signature (SignatureMemo).
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
    { method: req.method, path: req.url, clientId: signer.clientId, time: formatResponseTime(now), body: raw },
    memoFor(signer.privateKey),
  );
  return reply.status(200).headers(headers).send(raw);
}
