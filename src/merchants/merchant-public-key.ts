import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { InvalidKeyError, keyFingerprint, loadPublicKey } from '../signing';

/**
 * A merchant's public key as submitted (PEM SPKI/PKCS#1 or the bare base64 DER
 * the Antom dashboard shows), checked by loading it and stored as SPKI PEM so
 * every reader sees one format. The error names the field, never the key text.
 */
export function normalisePublicKey(text: string, field: string): { pem: string; fingerprint: string } {
  try {
    const key = loadPublicKey(text);
    return { pem: key.export({ type: 'spki', format: 'pem' }).toString(), fingerprint: keyFingerprint(key) };
  } catch (err) {
    const reason = err instanceof InvalidKeyError ? err.message : 'unreadable public key';
    throw new DomainError(ErrorCode.PARAM_ILLEGAL, `${field}: ${reason}`);
  }
}

/** What answers show instead of a key: nobody needs the key back, only to tell keys apart. */
export function publicKeyFingerprint(stored: string | null): string | null {
  if (stored === null) return null;
  try {
    return keyFingerprint(loadPublicKey(stored));
  } catch {
    return 'unreadable';
  }
}
