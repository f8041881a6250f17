/**
 * How long an auth code can still be exchanged. Alipay+ does not say in
 * AUTHCODE_CREATED; wallets document minutes (AlipayHK: 10). The automatic
 * exchange stops retrying past it, and a merchant's applyToken after it gets
 * Alipay+'s own answer.
 */
export const AUTH_CODE_VALIDITY_MS = 10 * 60_000;

/** Delay before the automatic exchange asks again after a U: 1 s, doubling, at most 30 s. */
export function exchangeRetryDelayMs(attempts: number): number {
  return Math.min(30_000, 1_000 * 2 ** Math.max(0, attempts - 1));
}
