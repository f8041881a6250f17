import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatSignatureHeader, isStandardBase64, parseSignatureHeader } from './signature-header';

interface SignatureVector {
  name: string;
  signatureBase64: string;
  signatureHeader: string;
}

const VECTORS_DIR = join(__dirname, '../../test/fixtures/vectors');
const vectors: SignatureVector[] = JSON.parse(readFileSync(join(VECTORS_DIR, 'signature-vectors.json'), 'utf8'));
const SIGNATURE = vectors[0].signatureBase64;
const ENCODED = encodeURIComponent(SIGNATURE);

const lowerCaseEscapes = (s: string) => s.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());

describe(parseSignatureHeader.name, () => {
  const sut = parseSignatureHeader;

  it.each(vectors.map((v) => [v.name, v] as const))('decodes the vector header: %s', (_name, vector) => {
    expect(sut(vector.signatureHeader)).toEqual({
      algorithm: 'RSA256',
      keyVersion: '1',
      signature: vector.signatureBase64,
    });
  });

  it('accepts lower-case percent escapes, as the .NET SDK sends them', () => {
    const header = lowerCaseEscapes(vectors[0].signatureHeader);
    expect(header).toContain('%2f');

    expect(sut(header)?.signature).toBe(SIGNATURE);
  });

  it('accepts an un-encoded base64 value with raw + / =', () => {
    expect(SIGNATURE).toMatch(/[+/=]/);

    expect(sut(`algorithm=RSA256,keyVersion=1,signature=${SIGNATURE}`)?.signature).toBe(SIGNATURE);
  });

  it('accepts spaces after commas and around the value', () => {
    expect(sut(`algorithm=RSA256, keyVersion=2, signature=${ENCODED} `)).toEqual({
      algorithm: 'RSA256',
      keyVersion: '2',
      signature: SIGNATURE,
    });
  });

  it('accepts parameters in another order and without keyVersion', () => {
    expect(sut(`keyVersion=3,algorithm=RSA256,signature=${ENCODED}`)?.keyVersion).toBe('3');
    expect(sut(`algorithm=RSA256,signature=${ENCODED}`)).toEqual({
      algorithm: 'RSA256',
      keyVersion: undefined,
      signature: SIGNATURE,
    });
  });

  it.each([
    ['undefined', undefined],
    ['empty', ''],
    ['garbage', 'garbage'],
    ['no signature=', 'algorithm=RSA256,keyVersion=1'],
    ['empty signature', 'algorithm=RSA256,keyVersion=1,signature='],
    ['blank signature', 'algorithm=RSA256,keyVersion=1,signature=   '],
    ['no algorithm', `keyVersion=1,signature=${ENCODED}`],
    ['empty algorithm', `algorithm=,keyVersion=1,signature=${ENCODED}`],
    ['signature only', `signature=${ENCODED}`],
    ['another algorithm', `algorithm=RSA2048,keyVersion=1,signature=${ENCODED}`],
    ['HMAC', `algorithm=HmacSHA256,keyVersion=1,signature=${ENCODED}`],
    ['two different algorithms', `algorithm=RSA256,algorithm=none,signature=${ENCODED}`],
    ['signature= inside another name', `algorithm=RSA256,xsignature=${ENCODED}`],
    ['broken percent escape', `algorithm=RSA256,signature=${ENCODED.slice(0, -2)}%ZZ`],
    ['truncated percent escape', `algorithm=RSA256,signature=%E4%B8`],
    ['not base64 once decoded', 'algorithm=RSA256,signature=abc%24defg'],
    ['base64 with bad length', 'algorithm=RSA256,signature=abcde'],
    ['base64url instead of base64', 'algorithm=RSA256,signature=ab-_'],
    ['padding in the middle', 'algorithm=RSA256,signature=ab==cdef'],
    ['space decoded inside the value', `algorithm=RSA256,signature=${ENCODED.slice(0, 10)}%20${ENCODED.slice(10)}`],
    ['absurdly long', `algorithm=RSA256,signature=${'A'.repeat(10_000)}`],
  ])('returns null for %s', (_case, value) => {
    expect(sut(value)).toBeNull();
  });

  it('never throws and only returns RSA256 with standard base64, for arbitrary strings', () => {
    const fragment = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.constantFrom('signature=', 'algorithm=RSA256', 'keyVersion=1', ',', ', ', '%', '%2B', '%2b', '=', '+', '/'),
      fc.base64String(),
    );
    const header = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.array(fragment, { maxLength: 12 }).map((p) => p.join('')),
    );

    fc.assert(
      fc.property(header, (value) => {
        const parsed = sut(value);
        return parsed === null || (parsed.algorithm === 'RSA256' && isStandardBase64(parsed.signature));
      }),
      { numRuns: 2000 },
    );
  });

  it('decodes the value exactly as decodeURIComponent + a strict base64 check would', () => {
    const piece = fc.oneof(
      fc.base64String({ maxLength: 16 }),
      fc.constantFrom('%2B', '%2b', '%2F', '%2f', '%3D', '%3d', '%41', '%20', '%', '%2', '%E4%B8%AD', '+', '/', '=', '==', ' ', '-', '_'),
    );
    const value = fc.array(piece, { maxLength: 10 }).map((parts) => parts.join(''));

    fc.assert(
      fc.property(value, (raw) => {
        const expected = referenceDecode(raw.trim());
        expect(sut(`algorithm=RSA256,keyVersion=1,signature=${raw}`)?.signature ?? null).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips format → parse for the base64 of any bytes, in every accepted encoding', () => {
    const keyVersion = fc.stringMatching(/^[A-Za-z0-9._-]{1,32}$/);

    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 600 }), keyVersion, (bytes, version) => {
        const base64 = Buffer.from(bytes).toString('base64');
        const header = formatSignatureHeader(base64, version);
        const expected = { algorithm: 'RSA256', keyVersion: version, signature: base64 };

        expect(sut(header)).toEqual(expected);
        expect(sut(lowerCaseEscapes(header))).toEqual(expected);
        expect(sut(`algorithm=RSA256, keyVersion=${version}, signature=${base64}`)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe(formatSignatureHeader.name, () => {
  const sut = formatSignatureHeader;

  it.each(vectors.map((v) => [v.name, v] as const))('reproduces the vector header exactly: %s', (_name, vector) => {
    expect(sut(vector.signatureBase64)).toBe(vector.signatureHeader);
  });

  it('URL-encodes + / = as upper-case %2B %2F %3D', () => {
    expect(sut('a+b/c=')).toBe('algorithm=RSA256,keyVersion=1,signature=a%2Bb%2Fc%3D');
  });

  it('writes the given key version', () => {
    expect(sut('AAAA', '7')).toBe('algorithm=RSA256,keyVersion=7,signature=AAAA');
  });

  it.each([[''], ['1,signature=AAAA'], ['1 2'], ['x'.repeat(33)]])('refuses key version %j', (keyVersion) => {
    expect(() => sut('AAAA', keyVersion)).toThrow(RangeError);
  });
});

/** The slow, obvious reading of a signature value, to check the fast path against. */
function referenceDecode(raw: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  const strict = /^(?:[A-Za-z0-9+/]{4})+(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$|^[A-Za-z0-9+/]{2}==$|^[A-Za-z0-9+/]{3}=$/;
  const canonical = Buffer.from(decoded, 'base64').toString('base64') === decoded;
  return strict.test(decoded) && canonical ? decoded : null;
}
