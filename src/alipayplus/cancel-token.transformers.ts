import sjson from 'secure-json-parse';

/** Alipay+ ACQP API reference, "cancelToken": the path under the regional base URL. */
export const CANCEL_TOKEN_PATH = '/aps/api/v1/authorizations/cancelToken';

/** Alipay+ ACQP API reference, "authNotify": where Alipay+ posts authorization notifications. */
export const AUTH_NOTIFY_PATH = '/aps/api/v1/authorizations/authNotify';

export type ResultStatus = 'S' | 'F' | 'U';

export interface WireResult {
  resultCode: string;
  resultStatus: ResultStatus;
  resultMessage?: string;
}

/** What the gateway asks for; optional fields are left out of the JSON when absent. */
export interface CancelTokenRequest {
  pspId: string;
  acquirerId: string;
  accessToken: string;
  passThroughInfo?: string;
  authClientId?: string;
}

/** The cancelToken request body exactly as it goes on the wire. */
export interface CancelTokenWireRequest {
  pspId: string;
  acquirerId: string;
  accessToken: string;
  passThroughInfo?: string;
  authClientId?: string;
}

export interface CancelTokenWireResponse {
  result: WireResult;
  passThroughInfo?: string;
}

export type UnknownReason = 'RESULT_U' | 'TIMEOUT' | 'HTTP_5XX' | 'CONNECTION' | 'BAD_SIGNATURE' | 'UNSIGNED' | 'MALFORMED_RESPONSE' | 'CIRCUIT_OPEN';

/**
 * One cancelToken attempt, settled. UNKNOWN is always safe to retry with the
 * same accessToken; for local reasons its resultCode repeats the reason, so a
 * body we could not trust never shows up as "SUCCESS".
 */
export type CancelTokenOutcome =
  | { kind: 'CANCELED'; resultCode: string }
  | {
      kind: 'FAILED';
      resultCode: string;
      resultMessage?: string;
      /** INVALID_TOKEN: the token is already gone at Alipay+. */
      alreadyGone: boolean;
    }
  | { kind: 'UNKNOWN'; resultCode: string; reason: UnknownReason; httpStatus?: number };

/** Result codes of the cancelToken reference table, with their status and message. */
export const CANCEL_TOKEN_RESULT_CODES = {
  SUCCESS: { status: 'S', message: 'Success' },
  ACCESS_DENIED: { status: 'F', message: 'Access is denied.' },
  INVALID_CLIENT: { status: 'F', message: 'The client is invalid.' },
  INVALID_SIGNATURE: { status: 'F', message: 'The signature is invalid.' },
  INVALID_TOKEN: { status: 'F', message: 'The access token is invalid.' },
  KEY_NOT_FOUND: { status: 'F', message: 'The key is not found.' },
  MEDIA_TYPE_NOT_ACCEPTABLE: {
    status: 'F',
    message: 'The server does not implement the media type that is acceptable to the client.',
  },
  METHOD_NOT_SUPPORTED: { status: 'F', message: 'The server does not implement the requested HTTPS method.' },
  NO_INTERFACE_DEF: { status: 'F', message: 'API is not defined.' },
  PARAM_ILLEGAL: { status: 'F', message: 'Illegal parameters. For example, non-numeric input, invalid date.' },
  PROCESS_FAIL: { status: 'F', message: 'A general business failure occurred. Do not retry.' },
  REQUEST_TRAFFIC_EXCEED_LIMIT: { status: 'U', message: 'The request traffic exceeds the limit.' },
  UNKNOWN_EXCEPTION: { status: 'U', message: 'An API call failed, which is caused by unknown reasons.' },
} as const satisfies Record<string, { status: ResultStatus; message: string }>;

export type CancelTokenResultCode = keyof typeof CANCEL_TOKEN_RESULT_CODES;

/**
 * F codes that mean our own setup is wrong (keys, client id, endpoint), not
 * that this token cannot be canceled: worth an alert rather than a quiet stop.
 */
export const CONFIGURATION_FAILURE_CODES: ReadonlySet<string> = new Set([
  'INVALID_CLIENT',
  'INVALID_SIGNATURE',
  'KEY_NOT_FOUND',
  'MEDIA_TYPE_NOT_ACCEPTABLE',
  'METHOD_NOT_SUPPORTED',
  'NO_INTERFACE_DEF',
]);

/** What came back from one attempt, before any trust decision is made about it. */
export type CancelTokenExchange =
  | {
      kind: 'response';
      httpStatus: number;
      /** VALID only when the response signature verified with an Alipay+ public key. */
      signature: 'VALID' | 'MISSING' | 'INVALID';
      rawBody: Buffer;
    }
  | { kind: 'timeout' }
  | { kind: 'connection' }
  | { kind: 'too-large'; httpStatus: number }
  | { kind: 'circuit-open' };

/**
 * The request body, optional fields left out rather than sent as `""` or
 * `null` (cancelToken reference: "Do NOT leave the optional parameters empty
 * by setting their values as \"\"").
 */
export function toCancelTokenWireRequest(req: CancelTokenRequest): CancelTokenWireRequest {
  const body: CancelTokenWireRequest = { pspId: req.pspId, acquirerId: req.acquirerId, accessToken: req.accessToken };
  if (isPresent(req.passThroughInfo)) body.passThroughInfo = req.passThroughInfo;
  if (isPresent(req.authClientId)) body.authClientId = req.authClientId;
  return body;
}

/**
 * A `{"result":{...}}` answer (cancelToken's, or an authNotify acknowledgement)
 * when its `result` is well formed, else null. Never throws.
 */
export function parseResultResponse(rawBody: Buffer): CancelTokenWireResponse | null {
  const answer = parseAnswer(rawBody);
  if (answer === null) return null;
  const response: CancelTokenWireResponse = { result: answer.result };
  if (typeof answer.body.passThroughInfo === 'string') response.passThroughInfo = answer.body.passThroughInfo;
  return response;
}

/** Any ACQP answer: its well-formed `result` and the whole body, else null. Never throws. */
function parseAnswer(rawBody: Buffer): { result: WireResult; body: Record<string, unknown> } | null {
  let parsed: unknown;
  try {
    parsed = sjson.parse(rawBody.toString('utf8'), undefined, { protoAction: 'remove', constructorAction: 'remove' });
  } catch {
    return null;
  }
  if (!isObject(parsed) || !isObject(parsed.result)) return null;
  const { resultCode, resultStatus, resultMessage } = parsed.result;
  if (typeof resultCode !== 'string' || resultCode === '') return null;
  if (resultStatus !== 'S' && resultStatus !== 'F' && resultStatus !== 'U') return null;
  const result: WireResult = { resultCode, resultStatus };
  if (typeof resultMessage === 'string') result.resultMessage = resultMessage;
  return { result, body: parsed };
}

/**
 * One ACQP call (prepare, applyToken, cancelToken), settled. S carries the
 * verified body; U is always safe to retry, and for local reasons its
 * resultCode repeats the reason, so a body we could not trust never shows up
 * as "SUCCESS".
 */
export type AcqpOutcome =
  | { kind: 'S'; resultCode: string; body: Record<string, unknown> }
  | { kind: 'F'; resultCode: string; resultMessage?: string }
  | { kind: 'U'; resultCode: string; reason: UnknownReason; httpStatus?: number };

/**
 * Maps one attempt to S / F / U. Trust comes first: only a verified body can
 * say S or F; a 5xx, a timeout or a dropped connection may have done what was
 * asked or not, so they are U and the caller retries with the same request.
 */
export function toAcqpOutcome(exchange: CancelTokenExchange): AcqpOutcome {
  switch (exchange.kind) {
    case 'timeout':
      return unknown('TIMEOUT');
    case 'connection':
      return unknown('CONNECTION');
    case 'circuit-open':
      return unknown('CIRCUIT_OPEN');
    case 'too-large':
      return unknown(exchange.httpStatus >= 500 ? 'HTTP_5XX' : 'MALFORMED_RESPONSE', exchange.httpStatus);
    case 'response':
      return responseOutcome(exchange);
  }
}

/** cancelToken's reading of an attempt: S canceled, F refused (INVALID_TOKEN: already gone there), U retry. */
export function toCancelTokenOutcome(exchange: CancelTokenExchange): CancelTokenOutcome {
  return cancelTokenOutcomeOf(toAcqpOutcome(exchange));
}

/** cancelToken's reading of an answer already read as S/F/U. */
export function cancelTokenOutcomeOf(outcome: AcqpOutcome): CancelTokenOutcome {
  switch (outcome.kind) {
    case 'S':
      return { kind: 'CANCELED', resultCode: outcome.resultCode };
    case 'F': {
      const failed: CancelTokenOutcome = { kind: 'FAILED', resultCode: outcome.resultCode, alreadyGone: outcome.resultCode === 'INVALID_TOKEN' };
      if (outcome.resultMessage !== undefined) failed.resultMessage = outcome.resultMessage;
      return failed;
    }
    case 'U': {
      const { kind: _u, ...rest } = outcome;
      return { kind: 'UNKNOWN', ...rest };
    }
  }
}

/** The outcomes that say Alipay+ is unreachable or failing, which is what the circuit breaker counts. */
export function isUpstreamFailure(outcome: CancelTokenOutcome | AcqpOutcome): boolean {
  return (
    (outcome.kind === 'UNKNOWN' || outcome.kind === 'U') && (outcome.reason === 'TIMEOUT' || outcome.reason === 'HTTP_5XX' || outcome.reason === 'CONNECTION')
  );
}

function responseOutcome(exchange: Extract<CancelTokenExchange, { kind: 'response' }>): AcqpOutcome {
  const { httpStatus } = exchange;
  if (httpStatus >= 500) return unknown('HTTP_5XX', httpStatus);
  const success = httpStatus >= 200 && httpStatus < 300;
  // An error page from a proxy is not Alipay+ talking: without a verified body, guessing F could lose a cancel.
  if (!success && exchange.signature !== 'VALID') return unknown('MALFORMED_RESPONSE', httpStatus);
  if (exchange.signature === 'MISSING') return unknown('UNSIGNED', httpStatus);
  if (exchange.signature === 'INVALID') return unknown('BAD_SIGNATURE', httpStatus);
  const answer = parseAnswer(exchange.rawBody);
  if (answer === null) return unknown('MALFORMED_RESPONSE', httpStatus);
  const { resultCode, resultStatus, resultMessage } = answer.result;
  switch (resultStatus) {
    case 'S':
      return { kind: 'S', resultCode, body: answer.body };
    case 'F':
      return resultMessage === undefined ? { kind: 'F', resultCode } : { kind: 'F', resultCode, resultMessage };
    case 'U':
      return { kind: 'U', resultCode, reason: 'RESULT_U', httpStatus };
  }
}

function unknown(reason: UnknownReason, httpStatus?: number): AcqpOutcome {
  return httpStatus === undefined ? { kind: 'U', resultCode: reason, reason } : { kind: 'U', resultCode: reason, reason, httpStatus };
}

function isPresent(value: string | null | undefined): value is string {
  return typeof value === 'string' && value !== '';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
