import { createHash } from 'node:crypto';

/** Below this many characters a secret's first 4 would be too large a share of it to log. */
const MIN_LENGTH_FOR_PREFIX = 12;
const MASK = '****';

/**
 * Log-safe handle for a secret: `2810…1a2b3c4d` (first 4 characters, then 8 hex
 * of its sha256), so two log lines can be matched to the same token without
 * either holding it. Short secrets get no prefix. The hash is unkeyed so the
 * handle is stable across processes; only use it on high-entropy secrets
 * (tokens, keys), since a guessable secret can be confirmed against it.
 */
export function fingerprint(secret: string): string {
  const digest = createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 8);
  const chars = Array.from(secret);
  const prefix = chars.length >= MIN_LENGTH_FOR_PREFIX ? chars.slice(0, 4).join('') : '';
  return `${prefix}…${digest}`;
}

/**
 * Display form for UIs and API responses: `2810****1234`. Reveals at most 4
 * characters on each side and never more than a third of the secret; short
 * secrets are fully masked. The middle is always four stars, so the length
 * is not shown either.
 */
export function mask(secret: string): string {
  // Code points, not UTF-16 units, so an emoji is never cut in half.
  const chars = Array.from(secret);
  const keep = Math.min(4, Math.floor(chars.length / 6));
  if (keep === 0) return MASK;
  return `${chars.slice(0, keep).join('')}${MASK}${chars.slice(-keep).join('')}`;
}
