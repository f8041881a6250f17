/** Failures answered at once before any lock, by default (AUTH_FAILURES_BEFORE_LOCKOUT): a typo or two, a stale token in a script. */
export const FREE_FAILURES = 5;
/** Failures this long apart start counting afresh. */
export const FAILURE_WINDOW_MS = 15 * 60_000;
/** The first lock; each further failure doubles it. */
const FIRST_LOCK_MS = 1_000;
/** The longest lock. */
export const MAX_LOCK_MS = 15 * 60_000;

export interface ThrottleState {
  readonly failures: number;
  readonly windowStartedAt: Date;
  readonly lockedUntil: Date | null;
}

/** Before authenticating: may this subject try now, or wait (answered 429 with Retry-After)? */
export function checkThrottle(state: ThrottleState | null, now: Date): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
  if (!state?.lockedUntil || state.lockedUntil.getTime() <= now.getTime()) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.ceil((state.lockedUntil.getTime() - now.getTime()) / 1000) };
}

/**
 * After a failed authentication: the subject's next state. The first
 * `freeFailures` in a window cost nothing; every one after locks the subject
 * out for 1 s, 2 s, 4 s, ... up to MAX_LOCK_MS, so guessing slows to a
 * crawl while an operator who mistyped is barely held up. A window ends
 * FAILURE_WINDOW_MS after it began, once no lock is running.
 */
export function afterFailure(state: ThrottleState | null, now: Date, freeFailures = FREE_FAILURES): ThrottleState {
  const t = now.getTime();
  const stale = state === null || (t - state.windowStartedAt.getTime() > FAILURE_WINDOW_MS && (state.lockedUntil?.getTime() ?? 0) <= t);
  const failures = stale ? 1 : state.failures + 1;
  const windowStartedAt = stale ? now : state.windowStartedAt;
  if (failures <= freeFailures) return { failures, windowStartedAt, lockedUntil: null };
  const lockMs = Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** Math.min(failures - freeFailures - 1, 30));
  return { failures, windowStartedAt, lockedUntil: new Date(t + lockMs) };
}

/**
 * After an attempt that was counted as a failure in advance (a claim) turned
 * out to succeed: the state to write back. If nothing else counted since the
 * claim, the state from before it; otherwise one failure fewer, the rest kept.
 * A success never clears earlier failures: they end with their window, so a
 * valid credential of one's own cannot be used to reset the count between
 * guesses at another.
 */
export function refundClaim(current: ThrottleState, claimed: ThrottleState, before: ThrottleState | null): ThrottleState | null {
  const untouched = current.failures === claimed.failures && current.lockedUntil?.getTime() === claimed.lockedUntil?.getTime();
  if (untouched) return before;
  return { ...current, failures: Math.max(0, current.failures - 1) };
}
