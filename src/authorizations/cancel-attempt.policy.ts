import { CONFIGURATION_FAILURE_CODES, type CancelTokenOutcome } from '../alipayplus/cancel-token.transformers';
import type { CancelTokenJobStatus } from './cancel-token-job.entity';
import { cancelTokenRetryDelay } from './retry-backoff';

export interface CancelAttemptPolicy {
  /** The first retry's delay before jitter; it doubles per attempt up to the cap. */
  readonly retryBaseMs: number;
  /** [0, 1), e.g. Math.random: the jitter source. */
  readonly random: () => number;
}

export interface CancelAttemptDecision {
  /** False when the circuit breaker refused the call: nothing was sent, so no attempt row, and the backoff does not grow. */
  readonly recordAttempt: boolean;
  readonly resultStatus: 'S' | 'F' | 'U';
  /** Why an unknown outcome is unknown (TIMEOUT, HTTP_5XX, …); null for S and F. */
  readonly errorClass: string | null;
  readonly status: Extract<CancelTokenJobStatus, 'SUCCEEDED' | 'FAILED' | 'PENDING'>;
  /** Set when status is PENDING: the job runs again after this long. */
  readonly retryDelayMs: number | null;
  /** What the token's state machine hears when the job ends; null while it is still PENDING. */
  readonly tokenEvent: 'REVOKE_SUCCEEDED' | 'REVOKE_FAILED' | null;
  /**
   * Lock the token's row before the job's: Alipay+ gave an answer (S or F),
   * so the token may change. Authorization first, then the job, is the order
   * a TOKEN_CANCELED notification settling the job takes: the two never
   * deadlock on MySQL.
   */
  readonly locksToken: boolean;
  /** An F that blames our own set-up (keys, client id): the operator must act; the job keeps retrying meanwhile. */
  readonly configurationFailure: boolean;
}

/**
 * What one cancelToken attempt means for its job, beside `decideDelivery`:
 * S, or F because the token is already gone, settles the revoke; an F about
 * the token fails it for good; anything else (U, timeouts, our own
 * configuration errors) is retried with the same accessToken on a backoff,
 * because cancelToken is idempotent and a U must be settled, not abandoned.
 */
export function decideCancelAttempt(outcome: CancelTokenOutcome, attemptNo: number, policy: CancelAttemptPolicy): CancelAttemptDecision {
  const refusedByBreaker = outcome.kind === 'UNKNOWN' && outcome.reason === 'CIRCUIT_OPEN';
  const configurationFailure = outcome.kind === 'FAILED' && CONFIGURATION_FAILURE_CODES.has(outcome.resultCode);
  const settledOk = outcome.kind === 'CANCELED' || (outcome.kind === 'FAILED' && outcome.alreadyGone);
  const refused = outcome.kind === 'FAILED' && !outcome.alreadyGone && !configurationFailure;
  const status = settledOk ? 'SUCCEEDED' : refused ? 'FAILED' : 'PENDING';
  return {
    recordAttempt: !refusedByBreaker,
    resultStatus: outcome.kind === 'CANCELED' ? 'S' : outcome.kind === 'FAILED' ? 'F' : 'U',
    errorClass: outcome.kind === 'UNKNOWN' ? outcome.reason : null,
    status,
    retryDelayMs: status !== 'PENDING' ? null : refusedByBreaker ? policy.retryBaseMs : cancelTokenRetryDelay(attemptNo, policy.random, policy.retryBaseMs),
    tokenEvent: status === 'PENDING' ? null : settledOk ? 'REVOKE_SUCCEEDED' : 'REVOKE_FAILED',
    locksToken: outcome.kind !== 'UNKNOWN',
    configurationFailure,
  };
}
