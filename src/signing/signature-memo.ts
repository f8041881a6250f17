import { sign, type KeyObject } from 'node:crypto';
import { buildStringToSign, type SignedMessage } from './string-to-sign';

/** Distinct messages remembered within one time value; answers repeat, so a handful is plenty. */
const DEFAULT_CAPACITY = 32;

/**
 * Signs with one private key and reuses the signature of a message signed
 * again under the same time header. SHA256withRSA with PKCS#1 v1.5 padding is
 * deterministic, so the reused signature is byte for byte the one a fresh
 * signing would give; the memo is keyed on the whole string to sign, so any
 * other byte signs afresh. It only pays off because answers are timed to the
 * whole second (formatResponseTime): within a second every S answer to the
 * same route is the same message. Cleared whenever the time value changes.
 */
export class SignatureMemo {
  private time = '';
  private readonly signatures = new Map<string, string>();

  constructor(
    private readonly privateKey: KeyObject,
    private readonly capacity = DEFAULT_CAPACITY,
  ) {}

  /** Base64 SHA256withRSA over the message's string to sign, as signMessage gives it. */
  sign(m: SignedMessage): string {
    if (m.time !== this.time) {
      this.signatures.clear();
      this.time = m.time;
    }
    const data = buildStringToSign(m);
    const key = data.toString('latin1');
    let signature = this.signatures.get(key);
    if (signature === undefined) {
      signature = sign('sha256', data, this.privateKey).toString('base64');
      if (this.signatures.size < this.capacity) this.signatures.set(key, signature);
    }
    return signature;
  }
}

/** A Response-Time to the whole second, e.g. `2026-11-22T06:15:30Z` (the Alipay+ and Antom documented form). */
export function formatResponseTime(now: Date): string {
  return `${now.toISOString().slice(0, 19)}Z`;
}
