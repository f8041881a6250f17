import type { KeyObject } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import sjson from 'secure-json-parse';
import { signedResponseHeaders, verifyInboundRequest } from '../../signing';
import { CANCEL_TOKEN_RESULT_CODES, ResultStatus } from '../cancel-token.transformers';
import { alipayTime } from './authorization.factory';
import type { CallPlan } from './cancel-token.rules';
import type { ReceivedRequest, SimulatorAnswer } from './simulator.types';

/** What every signed ACQP route needs from the simulator. */
export interface SignedCallContext {
  clientId: string;
  privateKey: KeyObject;
  acqpPublicKeys: readonly KeyObject[];
  skewMs: number;
  now: () => number;
  acquirerId?: string;
  record: (received: ReceivedRequest) => void;
  /** Waits `ms`; resolves false instead when the simulator is stopped meanwhile. */
  hold: (ms: number) => Promise<boolean>;
}

export type Signature = 'valid' | 'none' | 'bad';

export type Answer =
  | {
      kind: 'signed';
      resultStatus: ResultStatus;
      resultCode: string;
      resultMessage?: string;
      signature: Signature;
      holdMs: number;
      /** Body fields beside `result` (an S answer's payload). */
      fields?: Record<string, unknown>;
      /** Runs once the answer has gone (not when a held answer is dropped by stop()). */
      afterwards?: () => void;
    }
  | { kind: 'http-error'; status: number }
  | { kind: 'drop' };

export type BodyCheck<B> = { ok: true; body: B } | { ok: false; message: string };

/**
 * One signed ACQP API: how its body is checked, and what the call does once
 * it is trusted. `answer` may change the simulator's state (it runs before
 * any hold, so a held or unsigned success still happened).
 */
export interface AcqpRoute<B extends { acquirerId: string }> {
  check(parsed: unknown): BodyCheck<B>;
  answer(body: B, request: FastifyRequest): Answer;
}

export type SignedRouteHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** A route bound to its context, for the plugin to mount at its path. */
export function signedRoute<B extends { acquirerId: string }>(ctx: SignedCallContext, route: AcqpRoute<B>): SignedRouteHandler {
  return (request, reply) => handleSignedCall(ctx, route, request, reply);
}

/** Result codes the bind APIs add to cancelToken's table; the texts are the simulator's own. */
const BIND_RESULT_MESSAGES: Record<string, string> = {
  INVALID_CODE: 'The authorization code is invalid.',
  EXPIRED_CODE: 'The authorization code has expired.',
  INVALID_REFRESH_TOKEN: 'The refresh token is invalid.',
  EXPIRED_REFRESH_TOKEN: 'The refresh token has expired.',
};

/**
 * A POST to an ACQP API as Alipay+ answers it: Client-Id and signature (over
 * the Request-URI as received, prefix included) first, then the content
 * type, the body and the acquirer, then the route's own answer. Every call
 * is recorded.
 */
export async function handleSignedCall<B extends { acquirerId: string }>(
  ctx: SignedCallContext,
  route: AcqpRoute<B>,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const path = request.url;
  const verified = verifyInboundRequest(
    { method: request.method, path, headers: request.headers, rawBody },
    { publicKeys: ctx.acqpPublicKeys, nowMs: ctx.now(), skewMs: ctx.skewMs },
  );
  const parsed = parseJson(rawBody);
  const answer = decide(ctx, route, request, verified.clientId, verified.ok, parsed);
  ctx.record({
    at: ctx.now(),
    method: request.method,
    path,
    headers: { ...request.headers },
    rawBody: rawBody.toString('utf8'),
    body: parsed.ok ? parsed.value : undefined,
    signatureValid: verified.ok,
    answered: describe(answer),
  });

  if (answer.kind === 'drop') {
    reply.hijack();
    request.raw.socket.destroy();
    return;
  }
  if (answer.kind === 'http-error') {
    await reply.code(answer.status).type('text/plain; charset=utf-8').send(`${answer.status} upstream error`);
    return;
  }
  if (answer.holdMs > 0 && !(await ctx.hold(answer.holdMs))) {
    reply.hijack();
    request.raw.socket.destroy();
    return;
  }
  const answerClientId = headerValue(request.headers['client-id']) ?? ctx.clientId;
  const body = resultBody(answer.resultStatus, answer.resultCode, answer.resultMessage, answer.fields);
  await reply
    .code(200)
    .headers(responseHeaders(ctx, path, answerClientId, body, answer.signature))
    .send(body);
  if (answer.afterwards) setImmediate(answer.afterwards);
}

function decide<B extends { acquirerId: string }>(
  ctx: SignedCallContext,
  route: AcqpRoute<B>,
  request: FastifyRequest,
  clientId: string | undefined,
  signatureValid: boolean,
  parsed: ParsedJson,
): Answer {
  // Client id first: Alipay+ picks the key to verify with by it (KEY_NOT_FOUND for one it has no key for).
  if (clientId === undefined || clientId !== ctx.clientId) return fail('INVALID_CLIENT');
  if (!signatureValid) return fail('INVALID_SIGNATURE');
  // Mounted in a sandbox gateway, the host app keeps the declared type aside (src/http/raw-body.ts).
  if (!declaredType(request).includes('json')) return fail('MEDIA_TYPE_NOT_ACCEPTABLE');
  if (!parsed.ok) return fail('PARAM_ILLEGAL', 'body is not valid JSON');
  const checked = route.check(parsed.value);
  if (!checked.ok) return fail('PARAM_ILLEGAL', checked.message);
  if (ctx.acquirerId !== undefined && checked.body.acquirerId !== ctx.acquirerId) return fail('ACCESS_DENIED');
  return route.answer(checked.body, request);
}

/**
 * The answer a rule's plan gives: its F, U, 5xx or dropped socket as is, and
 * for a success plan (`cancel`, named after cancelToken) what `succeed`
 * makes of it, signed and held as the plan says.
 */
export function planAnswer(plan: CallPlan, succeed: (signature: Signature, holdMs: number) => Answer): Answer {
  switch (plan.kind) {
    case 'cancel':
      return succeed(plan.signature, plan.holdMs);
    case 'result': {
      const { resultStatus, resultCode, resultMessage, holdMs } = plan;
      return { kind: 'signed', resultStatus, resultCode, resultMessage, holdMs, signature: 'valid' };
    }
    case 'http-error':
      return plan;
    case 'drop':
      return plan;
  }
}

export function fail(resultCode: string, resultMessage?: string): Answer {
  return { kind: 'signed', resultStatus: 'F', resultCode, resultMessage, signature: 'valid', holdMs: 0 };
}

export function succeed(signature: Signature, holdMs: number, fields?: Record<string, unknown>): Answer {
  return { kind: 'signed', resultStatus: 'S', resultCode: 'SUCCESS', signature, holdMs, fields };
}

/** The declared Content-Type, lower-cased; '' when none. */
export function declaredType(request: FastifyRequest): string {
  return String(request.declaredContentType ?? request.headers['content-type'] ?? '').toLowerCase();
}

function describe(answer: Answer): SimulatorAnswer {
  if (answer.kind === 'drop') return { status: 0, signature: 'none' };
  if (answer.kind === 'http-error') return { status: answer.status, signature: 'none' };
  const described: SimulatorAnswer = {
    status: 200,
    resultStatus: answer.resultStatus,
    resultCode: answer.resultCode,
    signature: answer.signature,
  };
  if (answer.holdMs > 0) described.heldMs = answer.holdMs;
  return described;
}

function resultBody(resultStatus: ResultStatus, resultCode: string, resultMessage?: string, fields?: Record<string, unknown>): Buffer {
  const known = (CANCEL_TOKEN_RESULT_CODES as Record<string, { message: string } | undefined>)[resultCode]?.message ?? BIND_RESULT_MESSAGES[resultCode];
  const message = resultMessage ?? known ?? resultCode;
  return Buffer.from(JSON.stringify({ result: { resultCode, resultStatus, resultMessage: message }, ...fields }), 'utf8');
}

function responseHeaders(ctx: SignedCallContext, path: string, clientId: string, body: Buffer, signature: Signature): Record<string, string> {
  if (signature === 'none') return { 'content-type': 'application/json; charset=UTF-8' };
  const time = alipayTime(ctx.now());
  // A bad signature is a real signature over other bytes: well-formed, and it does not verify.
  const signedBody = signature === 'valid' ? body : Buffer.concat([body, Buffer.from(' ')]);
  return signedResponseHeaders({ method: 'POST', path, clientId, time, body: signedBody }, ctx.privateKey);
}

type ParsedJson = { ok: true; value: unknown } | { ok: false };

function parseJson(raw: Buffer): ParsedJson {
  if (raw.length === 0) return { ok: false };
  try {
    return { ok: true, value: sjson.parse(raw.toString('utf8'), undefined, { protoAction: 'error', constructorAction: 'error' }) };
  } catch {
    return { ok: false };
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.trim() !== '' ? first : undefined;
}
