import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time equality for secrets (API keys, webhook tokens, keyed hashes).
 * Both sides are hashed first so the comparison always runs on 32 bytes:
 * a length mismatch neither returns early (leaking the length) nor makes
 * `timingSafeEqual` throw. Strings are compared as UTF-8 bytes.
 */
export function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const digestA = createHash('sha256').update(a).digest();
  const digestB = createHash('sha256').update(b).digest();
  return timingSafeEqual(digestA, digestB);
}
