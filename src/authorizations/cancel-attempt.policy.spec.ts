import type { CancelTokenOutcome } from '../alipayplus/cancel-token.transformers';
import { decideCancelAttempt, type CancelAttemptPolicy } from './cancel-attempt.policy';

const policy: CancelAttemptPolicy = { retryBaseMs: 1_000, random: () => 0.5 };
const canceled: CancelTokenOutcome = { kind: 'CANCELED', resultCode: 'SUCCESS' };
const failed = (resultCode: string): CancelTokenOutcome => ({ kind: 'FAILED', resultCode, alreadyGone: resultCode === 'INVALID_TOKEN' });
const unknown = (reason: 'TIMEOUT' | 'HTTP_5XX' | 'CONNECTION' | 'CIRCUIT_OPEN'): CancelTokenOutcome => ({
  kind: 'UNKNOWN',
  resultCode: 'UNKNOWN_EXCEPTION',
  reason,
});

describe(decideCancelAttempt.name, () => {
  const sut = decideCancelAttempt;

  it('settles the revoke on S: the job succeeds and the token hears REVOKE_SUCCEEDED', () => {
    expect(sut(canceled, 1, policy)).toEqual({
      recordAttempt: true,
      resultStatus: 'S',
      errorClass: null,
      status: 'SUCCEEDED',
      retryDelayMs: null,
      tokenEvent: 'REVOKE_SUCCEEDED',
      locksToken: true,
      configurationFailure: false,
    });
  });

  it('treats F INVALID_TOKEN as settled: the token is already gone at Alipay+', () => {
    expect(sut(failed('INVALID_TOKEN'), 3, policy)).toMatchObject({ resultStatus: 'F', status: 'SUCCEEDED', tokenEvent: 'REVOKE_SUCCEEDED', locksToken: true });
  });

  it('fails the job for good on an F about the token', () => {
    expect(sut(failed('ACCESS_DENIED'), 1, policy)).toMatchObject({ resultStatus: 'F', status: 'FAILED', retryDelayMs: null, tokenEvent: 'REVOKE_FAILED' });
  });

  it.each(['INVALID_CLIENT', 'INVALID_SIGNATURE', 'KEY_NOT_FOUND'])('keeps retrying an F that blames our own set-up (%s), flagged for the operator', (code) => {
    const d = sut(failed(code), 2, policy);
    expect(d).toMatchObject({ resultStatus: 'F', status: 'PENDING', tokenEvent: null, configurationFailure: true, recordAttempt: true });
    expect(d.retryDelayMs).toBe(2_000);
  });

  it.each(['TIMEOUT', 'HTTP_5XX', 'CONNECTION'] as const)('retries %s with a backoff that grows per attempt, without touching the token', (reason) => {
    const first = sut(unknown(reason), 1, policy);
    const fourth = sut(unknown(reason), 4, policy);
    expect(first).toMatchObject({ resultStatus: 'U', errorClass: reason, status: 'PENDING', tokenEvent: null, locksToken: false, recordAttempt: true });
    expect(first.retryDelayMs).toBe(1_000);
    expect(fourth.retryDelayMs).toBe(8_000);
  });

  it('records nothing when the breaker refused the call, and retries after the base delay whatever the attempt', () => {
    const d = sut(unknown('CIRCUIT_OPEN'), 9, policy);
    expect(d).toMatchObject({ recordAttempt: false, status: 'PENDING', errorClass: 'CIRCUIT_OPEN', locksToken: false });
    expect(d.retryDelayMs).toBe(1_000);
  });

  it('jitters the retry delay by ±20% from its random source', () => {
    expect(sut(unknown('TIMEOUT'), 2, { retryBaseMs: 1_000, random: () => 0 }).retryDelayMs).toBe(1_600);
    expect(sut(unknown('TIMEOUT'), 2, { retryBaseMs: 1_000, random: () => 0.999999 }).retryDelayMs).toBe(2_400);
  });
});
