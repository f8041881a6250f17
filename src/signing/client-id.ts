/**
 * What a `client-id` may be before the gateway logs it, looks a key up by it
 * or signs under it: 1 to 64 of `A-Z a-z 0-9 _ -` (Alipay+ and Antom client
 * ids, `SANDBOX_5YC47N2ZQHJ004124` and the like, fit). Bounded, so a caller
 * cannot put 10,000 characters into our log lines; no `.`, which separates
 * the client id from the time in the string to sign, so one signed string
 * can never be read two ways.
 */
const CLIENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function isWellFormedClientId(value: unknown): value is string {
  return typeof value === 'string' && CLIENT_ID.test(value);
}

/** The message that answers a client id that is not well formed. */
export const CLIENT_ID_RULE = 'client-id must be 1 to 64 characters of A-Z a-z 0-9 _ -';
