import { createHash, createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';

/**
 * A key that cannot be used for Alipay+/Antom signing. The message names the
 * problem and never includes the key text, so it is safe to log.
 */
export class InvalidKeyError extends Error {
  override readonly name = 'InvalidKeyError';
}

/** Alipay+ and Antom require RSA 2048-bit keys; smaller ones are refused outright. */
const MIN_MODULUS_BITS = 2048;

const PEM_LABEL = /-----BEGIN ([A-Z0-9 ]+)-----/;
const PRIVATE_PEM_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY']);
const PUBLIC_PEM_LABELS = new Set(['PUBLIC KEY', 'RSA PUBLIC KEY']);
const BARE_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Loads an RSA private key: PEM PKCS#8 (`BEGIN PRIVATE KEY`), PEM PKCS#1
 * (`BEGIN RSA PRIVATE KEY`), or the bare base64 DER (PKCS#8, else PKCS#1) that
 * the Antom dashboard hands out, whitespace and line breaks allowed.
 */
export function loadPrivateKey(text: string): KeyObject {
  const key = parseKeyText(text, 'private', (input) => {
    if (input.kind === 'pem') return createPrivateKey({ key: input.pem, format: 'pem' });
    return firstThatParses([
      () => createPrivateKey({ key: input.der, format: 'der', type: 'pkcs8' }),
      () => createPrivateKey({ key: input.der, format: 'der', type: 'pkcs1' }),
    ]);
  });
  if (key.type !== 'private') throw new InvalidKeyError('expected a private key');
  return assertRsaForSigning(key);
}

/**
 * Loads an RSA public key: PEM SPKI (`BEGIN PUBLIC KEY`), PEM PKCS#1
 * (`BEGIN RSA PUBLIC KEY`), or bare base64 DER (SPKI, else PKCS#1) as the Antom
 * dashboard shows it. A private key is refused here rather than silently
 * reduced to its public half: it means a secret sits in a slot meant for
 * public material.
 */
export function loadPublicKey(text: string): KeyObject {
  const key = parseKeyText(text, 'public', (input) => {
    if (input.kind === 'pem') return createPublicKey({ key: input.pem, format: 'pem' });
    // createPublicKey also accepts private DER and derives the public half; the
    // PEM path catches that by label, bare DER has no label so it is probed.
    if (isPrivateKeyDer(input.der)) throw new InvalidKeyError('expected a public key, got a private key');
    return firstThatParses([
      () => createPublicKey({ key: input.der, format: 'der', type: 'spki' }),
      () => createPublicKey({ key: input.der, format: 'der', type: 'pkcs1' }),
    ]);
  });
  if (key.type !== 'public') throw new InvalidKeyError('expected a public key');
  return assertRsaForSigning(key);
}

export function publicKeyFromPrivate(k: KeyObject): KeyObject {
  if (k.type === 'public') return k;
  if (k.type !== 'private') throw new InvalidKeyError('expected an asymmetric key');
  return createPublicKey(k);
}

/**
 * First 16 hex chars of sha256(SPKI DER). Identical for a private key and its
 * public half, so a log line can show which key signed or verified without
 * showing the key.
 */
export function keyFingerprint(k: KeyObject): string {
  const spki = publicKeyFromPrivate(k).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('hex').slice(0, 16);
}

type KeyInput = { kind: 'pem'; pem: string } | { kind: 'der'; der: Buffer };

function parseKeyText(text: string, expected: 'private' | 'public', parse: (input: KeyInput) => KeyObject): KeyObject {
  if (typeof text !== 'string' || text.trim() === '') throw new InvalidKeyError(`empty ${expected} key`);
  // Keys pasted into env files often carry literal "\n" instead of line breaks.
  const normalised = text.replace(/(?:\\r)?\\n/g, '\n').trim();

  let input: KeyInput;
  const label = PEM_LABEL.exec(normalised);
  if (label !== null) {
    const allowed = expected === 'private' ? PRIVATE_PEM_LABELS : PUBLIC_PEM_LABELS;
    if (!allowed.has(label[1])) {
      // The label is a fixed PEM keyword, never key material.
      throw new InvalidKeyError(`expected a ${expected} key, got a PEM "${label[1]}" block`);
    }
    input = { kind: 'pem', pem: normalised };
  } else {
    const compact = normalised.replace(/\s+/g, '');
    if (!BARE_BASE64.test(compact)) throw new InvalidKeyError(`${expected} key is neither PEM nor base64 DER`);
    input = { kind: 'der', der: Buffer.from(compact, 'base64') };
  }

  try {
    return parse(input);
  } catch (err) {
    if (err instanceof InvalidKeyError) throw err;
    // Node's message is about the decoder, not the key, but only its code is
    // kept so no future error text can carry key bytes into a log.
    throw new InvalidKeyError(`unreadable ${expected} key${errorCodeSuffix(err)}`);
  }
}

function firstThatParses(attempts: ReadonlyArray<() => KeyObject>): KeyObject {
  let lastError: unknown;
  for (const attempt of attempts) {
    try {
      return attempt();
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

function isPrivateKeyDer(der: Buffer): boolean {
  try {
    firstThatParses([() => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }), () => createPrivateKey({ key: der, format: 'der', type: 'pkcs1' })]);
    return true;
  } catch {
    return false;
  }
}

function assertRsaForSigning(key: KeyObject): KeyObject {
  // `rsa-pss` keys cannot make the PKCS#1 v1.5 signatures the protocol uses.
  if (key.asymmetricKeyType !== 'rsa') {
    throw new InvalidKeyError(`expected an RSA key, got ${key.asymmetricKeyType ?? 'unknown'}`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_MODULUS_BITS) throw new InvalidKeyError(`RSA key is ${bits} bits, at least ${MIN_MODULUS_BITS} required`);
  return key;
}

function errorCodeSuffix(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code) ? ` (${code})` : '';
}
