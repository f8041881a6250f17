export interface ParsedSignatureHeader {
  algorithm: string;
  keyVersion: string | undefined;
  /** Standard base64 (`+ / =`), already decoded from the header's URL-encoding. */
  signature: string;
}

/** The parsed header plus the signature bytes, so the verify does not decode them again. */
export interface DecodedSignatureHeader extends ParsedSignatureHeader {
  bytes: Buffer;
}

/** The only algorithm Alipay+ and Antom define for the `Signature` header. */
const ALGORITHM = 'RSA256';

/**
 * An RSA-4096 signature is 684 base64 chars, ~900 once URL-encoded; anything far
 * beyond that is not a signature and is refused before any string work.
 */
const MAX_HEADER_LENGTH = 4096;

const SIGNATURE_PARAM = 'signature=';
const KEY_VERSION = /^[A-Za-z0-9._-]{1,32}$/;

/**
 * Parses `algorithm=RSA256,keyVersion=1,signature=<urlencoded base64>`.
 *
 * Split on `signature=` as the official Antom SDKs do: the signature is last and
 * its base64 may itself end in `=`. Tolerated on input: spaces after commas,
 * lower-case percent escapes (`%2b`, sent by the .NET SDK) and an un-encoded
 * base64 value. Returns null (never throws) for anything else.
 */
export function parseSignatureHeader(value: string | undefined): ParsedSignatureHeader | null {
  const decoded = decodeSignatureHeader(value);
  if (decoded === null) return null;
  return { algorithm: decoded.algorithm, keyVersion: decoded.keyVersion, signature: decoded.signature };
}

/**
 * parseSignatureHeader, also returning the signature bytes. It runs on every
 * inbound request next to an RSA verify, so it keeps to indexOf and native
 * base64 rather than regexes over the ~400-char value (bench/signing.bench.ts).
 */
export function decodeSignatureHeader(value: string | undefined): DecodedSignatureHeader | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_HEADER_LENGTH) return null;

  const at = signatureParamIndex(value);
  if (at < 0) return null;

  let algorithm: string | undefined;
  let keyVersion: string | undefined;
  for (let start = 0; start < at;) {
    let end = value.indexOf(',', start);
    if (end < 0 || end > at) end = at;
    const eq = value.indexOf('=', start);
    if (eq >= 0 && eq < end) {
      const name = value.slice(start, eq).trim();
      const paramValue = value.slice(eq + 1, end).trim();
      if (name === 'algorithm') {
        // A second, different algorithm means someone is playing games: refuse.
        if (algorithm !== undefined && algorithm !== paramValue) return null;
        algorithm = paramValue;
      } else if (name === 'keyVersion' && paramValue !== '') {
        keyVersion = paramValue;
      }
    }
    start = end + 1;
  }
  if (algorithm !== ALGORITHM) return null;

  const signature = decodeSignatureValue(value.slice(at + SIGNATURE_PARAM.length).trim());
  if (signature === null) return null;
  const bytes = decodeStandardBase64(signature);
  if (bytes === null) return null;
  return { algorithm, keyVersion, signature, bytes };
}

/**
 * `algorithm=RSA256,keyVersion=<v>,signature=<encodeURIComponent(base64)>`:
 * `+ / =` become `%2B %2F %3D`, as the Antom SDKs send them.
 */
export function formatSignatureHeader(signatureBase64: string, keyVersion = '1'): string {
  // A comma or `signature=` smuggled in through config would corrupt the header.
  if (!KEY_VERSION.test(keyVersion)) throw new RangeError('keyVersion must match [A-Za-z0-9._-]{1,32}');
  return `algorithm=${ALGORITHM},keyVersion=${keyVersion},signature=${encodeURIComponent(signatureBase64)}`;
}

/**
 * The bytes of `value` when it is canonical standard base64 (`+ /`, `=`
 * padding, zero trailing bits, nothing else), else null.
 *
 * Decoding and re-encoding natively is cheaper than a regex over the string,
 * and the bytes are needed for the verify anyway. Buffer.from alone would not
 * do: it silently skips characters it does not know.
 */
export function decodeStandardBase64(value: string): Buffer | null {
  if (value.length === 0 || value.length % 4 !== 0) return null;
  const bytes = Buffer.from(value, 'base64');
  return bytes.toString('base64') === value ? bytes : null;
}

export function isStandardBase64(value: string): boolean {
  return decodeStandardBase64(value) !== null;
}

/** Where `signature=` starts the value or follows a comma or a space; -1 if nowhere. */
function signatureParamIndex(value: string): number {
  let at = value.indexOf(SIGNATURE_PARAM);
  while (at > 0) {
    const before = value.charCodeAt(at - 1);
    if (before === 0x2c || before === 0x20 || before === 0x09) return at; // , space tab
    at = value.indexOf(SIGNATURE_PARAM, at + 1);
  }
  return at;
}

/** The value URL-decoded as far as base64 needs; not yet checked to be base64. */
function decodeSignatureValue(raw: string): string | null {
  if (raw.length === 0) return null;
  const decoded = decodeBase64Escapes(raw);
  if (decoded !== undefined) return decoded;
  // An escape other than %2B %2F %3D: let the general decoder judge. Unlike
  // form decoding, decodeURIComponent leaves a raw `+` alone, as base64 needs.
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/**
 * Turns `%2B %2F %3D` (either hex case) back into `+ / =`, hopping between
 * `%` signs with indexOf. Undefined when another escape is present.
 */
function decodeBase64Escapes(raw: string): string | undefined {
  let percent = raw.indexOf('%');
  if (percent < 0) return raw;
  let out = '';
  let from = 0;
  while (percent >= 0) {
    const char = base64Escape(raw, percent);
    if (char === undefined) return undefined;
    out += raw.slice(from, percent) + char;
    from = percent + 3;
    percent = raw.indexOf('%', from);
  }
  return out + raw.slice(from);
}

function base64Escape(raw: string, percent: number): string | undefined {
  const hi = raw.charCodeAt(percent + 1);
  const lo = raw.charCodeAt(percent + 2) | 0x20; // ASCII lower-case; NaN past the end becomes 0x20
  if (hi === 0x32 && lo === 0x62) return '+'; // %2B
  if (hi === 0x32 && lo === 0x66) return '/'; // %2F
  if (hi === 0x33 && lo === 0x64) return '='; // %3D
  return undefined;
}
