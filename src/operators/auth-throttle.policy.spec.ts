import { afterFailure, checkThrottle, FAILURE_WINDOW_MS, FREE_FAILURES, MAX_LOCK_MS, refundClaim, type ThrottleState } from './auth-throttle.policy';

const t0 = new Date('2026-12-03T10:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

function failTimes(n: number, when = t0): ThrottleState {
  let state: ThrottleState | null = null;
  for (let i = 0; i < n; i++) state = afterFailure(state, when);
  return state!;
}

describe(afterFailure.name, () => {
  it(`lets the first ${FREE_FAILURES} failures through, then locks for 1 s, 2 s, 4 s ... up to ${MAX_LOCK_MS / 60_000} min`, () => {
    expect(failTimes(FREE_FAILURES).lockedUntil).toBeNull();
    const locks = [1, 2, 3, 4, 5, 12, 40].map((extra) => failTimes(FREE_FAILURES + extra).lockedUntil!.getTime() - t0.getTime());
    expect(locks).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, MAX_LOCK_MS, MAX_LOCK_MS]);
  });

  it('counts afresh once the window is over and no lock runs', () => {
    const before = failTimes(FREE_FAILURES);
    expect(afterFailure(before, at(FAILURE_WINDOW_MS)).failures).toBe(FREE_FAILURES + 1);
    expect(afterFailure(before, at(FAILURE_WINDOW_MS + 1))).toEqual({ failures: 1, windowStartedAt: at(FAILURE_WINDOW_MS + 1), lockedUntil: null });
  });

  it('keeps counting while a lock outlasts the window', () => {
    const locked = failTimes(FREE_FAILURES + 12);
    expect(afterFailure(locked, at(FAILURE_WINDOW_MS - 1)).failures).toBe(FREE_FAILURES + 13);
  });
});

describe(checkThrottle.name, () => {
  it('allows a subject with no failures or no running lock, and says how long to wait otherwise', () => {
    expect(checkThrottle(null, t0)).toEqual({ allowed: true });
    expect(checkThrottle(failTimes(FREE_FAILURES), t0)).toEqual({ allowed: true });
    const locked = failTimes(FREE_FAILURES + 3);
    expect(checkThrottle(locked, at(1))).toEqual({ allowed: false, retryAfterSeconds: 4 });
    expect(checkThrottle(locked, at(3_001))).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(checkThrottle(locked, at(4_000))).toEqual({ allowed: true });
  });
});

describe(refundClaim.name, () => {
  const before = failTimes(FREE_FAILURES + 2);
  const claimed = afterFailure(before, at(10_000));

  it('puts back the state from before the claim when nothing else was counted since', () => {
    expect(refundClaim(claimed, claimed, before)).toEqual(before);
    expect(refundClaim(claimed, claimed, null)).toBeNull();
  });

  it('takes back only its own failure when another attempt was counted since, keeping the lock that one set', () => {
    const after = afterFailure(claimed, at(10_001));
    expect(refundClaim(after, claimed, before)).toEqual({ ...after, failures: after.failures - 1 });
  });
});
