import type { AttemptOutcome } from './delivery.entity';

/** Why an attempt failed before or without a usable answer. */
export type TransportErrorClass =
  | 'TIMEOUT'
  | 'CONNECTION'
  | 'DNS'
  | 'SSRF_BLOCKED'
  | 'INSECURE_URL'
  | 'BAD_URL'
  /** The endpoint was disabled (by an operator or the dispatcher) before this attempt was sent. */
  | 'ENDPOINT_DISABLED'
  /** The callback could not be built or signed (e.g. a secret or token no configured key decrypts); nothing was sent. */
  | 'COMPOSE_FAILED';

/** Why an answer was not a success. */
export type AnswerErrorClass = 'REDIRECT' | 'HTTP_STATUS' | 'NOT_S' | 'GONE';

export type AttemptResult =
  | {
      readonly kind: 'answer';
      readonly httpStatus: number;
      /** `result.resultStatus` of a JSON answer, else null. */
      readonly resultStatus: string | null;
      /** The Retry-After header verbatim, if any. */
      readonly retryAfter: string | null;
    }
  | { readonly kind: 'error'; readonly errorClass: TransportErrorClass };

export interface DeliveryPolicyInput {
  /** The attempt just made, 1-based, within the current retry series. */
  readonly attemptNo: number;
  readonly result: AttemptResult;
  readonly now: Date;
  /** [0, 1), e.g. Math.random: the jitter source. */
  readonly random: () => number;
  /** Delay before each attempt, the first included; its length is the number of attempts. */
  readonly scheduleMs: readonly number[];
  /** When the endpoint's current failure streak started; null when its last attempt succeeded. */
  readonly endpointFailingSince: Date | null;
  readonly disableAfterMs: number;
}

export type EndpointChange =
  | { readonly kind: 'HEALTHY' }
  | { readonly kind: 'UNCHANGED' }
  | { readonly kind: 'FAILING'; readonly since: Date }
  | { readonly kind: 'DISABLE'; readonly reason: string };

export interface DeliveryDecision {
  readonly outcome: AttemptOutcome;
  readonly errorClass: TransportErrorClass | AnswerErrorClass | null;
  /** Set when outcome is RETRY. */
  readonly nextAttemptAt: Date | null;
  readonly endpoint: EndpointChange;
}

/** Retry delays vary by ±20% so endpoints that failed together are not retried in lockstep. */
export const JITTER = 0.2;
/** Retry-After is honoured within these bounds: a second at least (no hot loop), an hour at most (no parking for days). */
export const RETRY_AFTER_MIN_MS = 1_000;
export const RETRY_AFTER_MAX_MS = 3_600_000;

/**
 * What to do after one attempt. Success is exactly HTTP 200 with
 * `result.resultStatus` S (the notifyAuthorization acknowledgement); anything
 * else is a failure, retried on the schedule until it runs out. 410 Gone
 * disables the endpoint; so does a failure streak of `disableAfterMs`.
 */
export function decideDelivery(input: DeliveryPolicyInput): DeliveryDecision {
  const { result, now } = input;
  const errorClass = classify(result);
  if (errorClass === null) return { outcome: 'SUCCEEDED', errorClass: null, nextAttemptAt: null, endpoint: { kind: 'HEALTHY' } };

  if (errorClass === 'GONE') {
    return { outcome: 'ENDPOINT_DISABLED', errorClass, nextAttemptAt: null, endpoint: { kind: 'DISABLE', reason: 'the endpoint answered 410 Gone' } };
  }
  // A disabled endpoint says nothing about the endpoint's health: leave its streak as it is.
  if (errorClass === 'ENDPOINT_DISABLED') {
    return { outcome: 'FAILED', errorClass, nextAttemptAt: null, endpoint: { kind: 'UNCHANGED' } };
  }
  const since = input.endpointFailingSince ?? now;
  if (now.getTime() - since.getTime() >= input.disableAfterMs) {
    const reason = `every attempt has failed since ${since.toISOString()}`;
    return { outcome: 'ENDPOINT_DISABLED', errorClass, nextAttemptAt: null, endpoint: { kind: 'DISABLE', reason } };
  }
  const failing: EndpointChange = { kind: 'FAILING', since };
  if (input.attemptNo >= input.scheduleMs.length) return { outcome: 'FAILED', errorClass, nextAttemptAt: null, endpoint: failing };

  let delay = jittered(input.scheduleMs[input.attemptNo], input.random);
  if (result.kind === 'answer' && (result.httpStatus === 429 || result.httpStatus === 503)) {
    const asked = parseRetryAfter(result.retryAfter, now);
    // Never sooner than the endpoint asked, nor sooner than the schedule: its attempts stay spread over the day.
    if (asked !== null) delay = Math.max(delay, asked);
  }
  return { outcome: 'RETRY', errorClass, nextAttemptAt: new Date(now.getTime() + delay), endpoint: failing };
}

/** Null for a success, else why it failed. */
export function classify(result: AttemptResult): TransportErrorClass | AnswerErrorClass | null {
  if (result.kind === 'error') return result.errorClass;
  const status = result.httpStatus;
  if (status === 200) return result.resultStatus === 'S' ? null : 'NOT_S';
  if (status === 410) return 'GONE';
  if (status >= 300 && status < 400) return 'REDIRECT';
  return 'HTTP_STATUS';
}

export function jittered(delayMs: number, random: () => number): number {
  return Math.round(delayMs * (1 - JITTER + 2 * JITTER * random()));
}

/** `Retry-After: <seconds>` or `<HTTP-date>` (RFC 9110 §10.2.3) as a delay within the bounds; null if absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date): number | null {
  if (value === null) return null;
  const text = value.trim();
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at) || !/[a-z]/i.test(text)) return null;
    ms = at - now.getTime();
  }
  return Math.min(RETRY_AFTER_MAX_MS, Math.max(RETRY_AFTER_MIN_MS, ms));
}
