import type { KeyObject } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import sjson from 'secure-json-parse';
import { signedResponseHeaders, verifyInboundRequest } from '../../signing';
import { CANCEL_TOKEN_RESULT_CODES, CancelTokenWireRequest, ResultStatus } from '../cancel-token.transformers';
import { alipayTime } from './authorization.factory';
import { CallPlan, RuleBook } from './cancel-token.rules';
import { checkCancelTokenBody } from './cancel-token.validation';
import type { ReceivedRequest, SimulatorAnswer } from './simulator.types';
import type { TokenRegistry } from './token.registry';

/** What the cancelToken route needs from the simulator. */
export interface CancelTokenContext {
  clientId: string;
  privateKey: KeyObject;
  acqpPublicKeys: readonly KeyObject[];
  skewMs: number;
  now: () => number;
  acquirerId?: string;
  strictTokens: () => boolean;
  rules: RuleBook;
  tokens: TokenRegistry;
  record: (received: ReceivedRequest) => void;
  /** After an S that canceled the token (not on an idempotent replay). */
  onCanceled: (body: CancelTokenWireRequest) => void;
  /** Waits `ms`; resolves false instead when the simulator is stopped meanwhile. */
  hold: (ms: number) => Promise<boolean>;
}

type Answer =
  | {
      kind: 'signed';
      resultStatus: ResultStatus;
      resultCode: string;
      resultMessage?: string;
      signature: 'valid' | 'none' | 'bad';
      holdMs: number;
      /** The token this answer cancels (S only). */
      cancels?: CancelTokenWireRequest;
    }
  | { kind: 'http-error'; status: number }
  | { kind: 'drop' };

/**
 * POST .../cancelToken as Alipay+ answers it: Client-Id and signature
 * (over the Request-URI as received, prefix included) first, then the body,
 * then the token's state, then the rule in force. Every call is recorded.
 */
export async function handleCancelToken(ctx: CancelTokenContext, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const path = request.url;
  const verified = verifyInboundRequest(
    { method: request.method, path, headers: request.headers, rawBody },
    { publicKeys: ctx.acqpPublicKeys, nowMs: ctx.now(), skewMs: ctx.skewMs },
  );
  const parsed = parseJson(rawBody);
  const answer = decide(ctx, request, verified.clientId, verified.ok, parsed);
  const received: ReceivedRequest = {
    at: ctx.now(),
    method: request.method,
    path,
    headers: { ...request.headers },
    rawBody: rawBody.toString('utf8'),
    body: parsed.ok ? parsed.value : undefined,
    signatureValid: verified.ok,
    answered: describe(answer),
  };
  ctx.record(received);

  if (answer.kind === 'drop') {
    reply.hijack();
    request.raw.socket.destroy();
    return;
  }
  if (answer.kind === 'http-error') {
    await reply.code(answer.status).type('text/plain; charset=utf-8').send(`${answer.status} upstream error`);
    return;
  }
  if (answer.cancels) ctx.tokens.cancel(answer.cancels.accessToken, 'ACQUIRER');
  if (answer.holdMs > 0 && !(await ctx.hold(answer.holdMs))) {
    reply.hijack();
    request.raw.socket.destroy();
    return;
  }
  const answerClientId = headerValue(request.headers['client-id']) ?? ctx.clientId;
  const body = resultBody(answer.resultStatus, answer.resultCode, answer.resultMessage);
  await reply
    .code(200)
    .headers(responseHeaders(ctx, path, answerClientId, body, answer.signature))
    .send(body);
  if (answer.cancels) {
    const canceled = answer.cancels;
    setImmediate(() => ctx.onCanceled(canceled));
  }
}

function decide(ctx: CancelTokenContext, request: FastifyRequest, clientId: string | undefined, signatureValid: boolean, parsed: ParsedJson): Answer {
  // Client id first: Alipay+ picks the key to verify with by it (KEY_NOT_FOUND for one it has no key for).
  if (clientId === undefined || clientId !== ctx.clientId) return fail('INVALID_CLIENT');
  if (!signatureValid) return fail('INVALID_SIGNATURE');
  // Mounted in a sandbox gateway, the host app keeps the declared type aside (src/http/raw-body.ts).
  const declared = request.declaredContentType ?? request.headers['content-type'];
  if (
    !String(declared ?? '')
      .toLowerCase()
      .includes('json')
  )
    return fail('MEDIA_TYPE_NOT_ACCEPTABLE');
  if (!parsed.ok) return fail('PARAM_ILLEGAL', 'body is not valid JSON');
  const checked = checkCancelTokenBody(parsed.value);
  if (!checked.ok) return fail('PARAM_ILLEGAL', checked.message);
  const body = checked.body;
  if (ctx.acquirerId !== undefined && body.acquirerId !== ctx.acquirerId) return fail('ACCESS_DENIED');

  // cancelToken is idempotent on accessToken: a token this ACQP canceled answers S again, whatever the rules.
  const state = ctx.tokens.state(body.accessToken);
  if (state === 'CANCELED_BY_ACQUIRER') return success('valid', 0);
  if (state === 'CANCELED_BY_PSP') return fail('INVALID_TOKEN');

  const plan: CallPlan = ctx.rules.next(body.accessToken);
  switch (plan.kind) {
    case 'cancel':
      if (ctx.strictTokens() && state === 'UNKNOWN') return fail('INVALID_TOKEN');
      return success(plan.signature, plan.holdMs, body);
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

function fail(resultCode: string, resultMessage?: string): Answer {
  return { kind: 'signed', resultStatus: 'F', resultCode, resultMessage, signature: 'valid', holdMs: 0 };
}

function success(signature: 'valid' | 'none' | 'bad', holdMs: number, cancels?: CancelTokenWireRequest): Answer {
  return { kind: 'signed', resultStatus: 'S', resultCode: 'SUCCESS', signature, holdMs, cancels };
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

function resultBody(resultStatus: ResultStatus, resultCode: string, resultMessage?: string): Buffer {
  const known = (CANCEL_TOKEN_RESULT_CODES as Record<string, { message: string } | undefined>)[resultCode];
  const message = resultMessage ?? known?.message ?? resultCode;
  return Buffer.from(JSON.stringify({ result: { resultCode, resultStatus, resultMessage: message } }), 'utf8');
}

function responseHeaders(ctx: CancelTokenContext, path: string, clientId: string, body: Buffer, signature: 'valid' | 'none' | 'bad'): Record<string, string> {
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
