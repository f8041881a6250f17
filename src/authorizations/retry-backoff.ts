/**
 * Delay before retry `attempt` (1 = the first retry) of an unsettled
 * cancelToken: exponential from `baseMs`, capped, with ±20% jitter so many
 * retries after an outage do not arrive together. No attempt limit: Alipay+
 * cancelToken is idempotent on accessToken with no time limit, and a U must
 * be settled, not abandoned.
 */
export function cancelTokenRetryDelay(attempt: number, random: () => number = Math.random, baseMs = 1_000, capMs = 300_000): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  return Math.round(exp * (0.8 + 0.4 * random()));
}
