import { createVerify, KeyObject, sign } from 'node:crypto';
import { isWellFormedClientId } from './client-id';
import { isWithinSkew, parseMessageTime } from './message-time';
import { SignatureMemo } from './signature-memo';
import { DecodedSignatureHeader, decodeSignatureHeader, decodeStandardBase64, formatSignatureHeader, ParsedSignatureHeader } from './signature-header';
import { buildStringToSign, SignedMessage, stringToSignHead } from './string-to-sign';

export type VerifyFailure = 'MISSING_HEADERS' | 'MALFORMED_CLIENT_ID' | 'MALFORMED_SIGNATURE' | 'STALE_TIME' | 'INVALID_SIGNATURE';

export interface InboundRequest {
  method: string;
  /** Request-URI as received: path plus query string. */
  path: string;
  /** Names lower-cased, as Node delivers them. */
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as received, before any JSON parsing. */
  rawBody: Buffer;
}

export type TimeHeader = 'request-time' | 'response-time';

export interface VerifyInboundOptions {
  /** Current key first, then the previous one while a rotation is under way. */
  publicKeys: readonly KeyObject[];
  /** Injected clock, epoch milliseconds. */
  nowMs: number;
  /** Accepted distance between the message time and `nowMs`, both ways, in ms. */
  skewMs: number;
  /** `request-time` on requests we receive, `response-time` on responses to our calls. Default `request-time`. */
  timeHeader?: TimeHeader;
}

export interface SignatureHeaders {
  clientId: string;
  /** The time header verbatim: it is part of the string to sign. */
  time: string;
  timeMs: number;
  signature: ParsedSignatureHeader;
}

export interface SignatureHeadersFailure {
  reason: VerifyFailure;
  clientId?: string;
}

export type InboundVerifyResult = { ok: true; clientId: string; timeMs: number } | { ok: false; reason: VerifyFailure; clientId?: string };

/** Content type both Alipay+ and the Antom SDKs send and expect. */
const JSON_CONTENT_TYPE = 'application/json; charset=UTF-8';

/**
 * SHA256withRSA, PKCS#1 v1.5, standard base64 (Alipay+ "Sign a request").
 * Deterministic: the same message and key always give the same signature.
 * Kept to one buffer build and one native call: this is on every request.
 */
export function signMessage(m: SignedMessage, privateKey: KeyObject): string {
  return sign('sha256', buildStringToSign(m), privateKey).toString('base64');
}

/** signMessage computed on libuv's thread pool, for callers signing many messages off the event loop. */
export function signMessageAsync(m: SignedMessage, privateKey: KeyObject): Promise<string> {
  return new Promise((resolve, reject) => {
    sign('sha256', buildStringToSign(m), privateKey, (err, signature) => (err ? reject(err) : resolve(signature.toString('base64'))));
  });
}

/**
 * True when any of `publicKeys` verifies the signature, so a message signed
 * with the previous key still passes during a rotation. Never throws.
 */
export function verifyMessage(m: SignedMessage, signatureBase64: string, publicKeys: readonly KeyObject[]): boolean {
  if (typeof signatureBase64 !== 'string') return false;
  const signature = decodeStandardBase64(signatureBase64);
  return signature !== null && verifyDecoded(m, signature, publicKeys);
}

/**
 * Reads and parses `client-id`, the time header and `signature`, without any
 * RSA work, so the caller can pick the public keys for the client id first.
 * A missing or unparseable client id or time is MISSING_HEADERS; a present
 * but unusable `signature` is MALFORMED_SIGNATURE.
 */
export function readSignatureHeaders(headers: InboundRequest['headers'], timeHeader: TimeHeader = 'request-time'): SignatureHeaders | SignatureHeadersFailure {
  const read = readDecodedHeaders(headers, timeHeader);
  if ('reason' in read) return read;
  const { algorithm, keyVersion, signature } = read.signature;
  return { clientId: read.clientId, time: read.time, timeMs: read.timeMs, signature: { algorithm, keyVersion, signature } };
}

/**
 * Checks, in order: headers present and parseable, time within the skew
 * window (replay guard), then the RSA signature over the raw body.
 */
export function verifyInboundRequest(req: InboundRequest, opts: VerifyInboundOptions): InboundVerifyResult {
  const read = readDecodedHeaders(req.headers, opts.timeHeader ?? 'request-time');
  if ('reason' in read) return { ok: false, ...read };
  const { clientId, time, timeMs, signature } = read;

  if (!isWithinSkew(timeMs, opts.nowMs, opts.skewMs)) return { ok: false, reason: 'STALE_TIME', clientId };

  const message: SignedMessage = { method: req.method, path: req.path, clientId, time, body: req.rawBody };
  if (!verifyDecoded(message, signature.bytes, opts.publicKeys)) {
    return { ok: false, reason: 'INVALID_SIGNATURE', clientId };
  }
  return { ok: true, clientId, timeMs };
}

/**
 * Headers for a response we sign. `m.method`/`m.path` are the request's, and
 * `m.time` becomes Response-Time. Names are lower case on purpose: the official
 * Antom Python SDK looks up `client-id`, `response-time` and `signature`
 * case-sensitively and rejects the response otherwise. Pass a SignatureMemo
 * instead of the key to reuse identical signatures within one response time.
 */
export function signedResponseHeaders(m: SignedMessage, privateKey: KeyObject | SignatureMemo, keyVersion = '1'): Record<string, string> {
  const signature = privateKey instanceof SignatureMemo ? privateKey.sign(m) : signMessage(m, privateKey);
  return {
    'client-id': m.clientId,
    'response-time': m.time,
    signature: formatSignatureHeader(signature, keyVersion),
    'content-type': JSON_CONTENT_TYPE,
  };
}

/** Headers for a request we sign, spelled as the Alipay+ API reference lists them. */
export function signedRequestHeaders(m: SignedMessage, privateKey: KeyObject, keyVersion = '1'): Record<string, string> {
  return {
    'Content-Type': JSON_CONTENT_TYPE,
    'Client-Id': m.clientId,
    'Request-Time': m.time,
    Signature: formatSignatureHeader(signMessage(m, privateKey), keyVersion),
  };
}

/** readSignatureHeaders, keeping the signature bytes it decoded for the verify. */
function readDecodedHeaders(
  headers: InboundRequest['headers'],
  timeHeader: TimeHeader,
): (Omit<SignatureHeaders, 'signature'> & { signature: DecodedSignatureHeader }) | SignatureHeadersFailure {
  const clientId = headerValue(headers, 'client-id');
  if (clientId === undefined) return { reason: 'MISSING_HEADERS' };
  // Not logged, looked up or signed under: the refusal carries no client id at all.
  if (!isWellFormedClientId(clientId)) return { reason: 'MALFORMED_CLIENT_ID' };
  const time = headerValue(headers, timeHeader);
  const signatureValue = headerValue(headers, 'signature');
  if (time === undefined || signatureValue === undefined) return { reason: 'MISSING_HEADERS', clientId };

  const timeMs = parseMessageTime(time);
  if (timeMs === null) return { reason: 'MISSING_HEADERS', clientId };
  const signature = decodeSignatureHeader(signatureValue);
  if (signature === null) return { reason: 'MALFORMED_SIGNATURE', clientId };
  return { clientId, time, timeMs, signature };
}

/**
 * Hashes the message in place (its head, then the body as received: no copy
 * of a body of up to the limit), once per key, skipping a key whose modulus
 * the signature does not match in length: RSASSA-PKCS1-v1_5 verification
 * fails such a signature before any hashing (RFC 8017, 8.2.2 step 1), so a
 * stranger's short or long signature costs no hash at all.
 */
function verifyDecoded(m: SignedMessage, signature: Buffer, publicKeys: readonly KeyObject[]): boolean {
  const head = Buffer.from(stringToSignHead(m), 'utf8');
  const body = typeof m.body === 'string' ? Buffer.from(m.body, 'utf8') : m.body;
  for (const key of publicKeys) {
    const modulusBits = key.asymmetricKeyDetails?.modulusLength;
    if (modulusBits !== undefined && signature.length !== Math.ceil(modulusBits / 8)) continue;
    try {
      if (createVerify('sha256').update(head).update(body).verify(key, signature)) return true;
    } catch {
      // A key of the wrong type for this signature is a "no", not a crash.
    }
  }
  return false;
}

function headerValue(headers: InboundRequest['headers'], name: string): string | undefined {
  let value = headers[name];
  if (value === undefined) {
    // Node lower-cases names; headers handed over from elsewhere may not be.
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() === name) {
        value = headers[key];
        break;
      }
    }
  }
  if (Array.isArray(value)) value = value[0];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
